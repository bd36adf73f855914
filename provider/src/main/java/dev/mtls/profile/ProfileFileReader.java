package dev.mtls.profile;

import dev.mtls.files.BoundedReads;
import dev.mtls.files.UnreadableFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads a profile file and detects its format from the content: native YAML ({@code version: 1})
 * or a WSO2 {@code customSSLProfiles} XML file, accepted as-is. Relative key-material paths and
 * {@code ${file:…}} secrets resolve against the base folder; the result holds absolute paths and
 * resolved secrets, and no key file has been opened.
 */
public final class ProfileFileReader {
    /** A profile file is a few kilobytes; this bounds what a wrong path or a hostile file can cost. */
    static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    static final String NEITHER = "neither a YAML profile file (version: 1) nor a WSO2 XML profile file";

    private final SecretResolver secrets;

    public ProfileFileReader(SecretResolver secrets) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    /**
     * @param base the folder relative key-material paths resolve against; null for the file's own folder
     * @throws ProfileFileException when the file as a whole cannot be used
     */
    public ProfileDocument read(Path file, Path base) throws ProfileFileException {
        byte[] content = content(file);
        Path folder = (base != null ? base : file.toAbsolutePath().getParent()).toAbsolutePath().normalize();
        ValueResolver values = new ValueResolver(secrets, folder);
        if (FormatDetector.detect(content) == ProfileDocument.Format.WSO2_XML) {
            return new Wso2ProfileParser(file, values).parse(content);
        }
        return new YamlProfileParser(file, values).parse(text(file, content));
    }

    private static byte[] content(Path file) throws ProfileFileException {
        try {
            byte[] content = BoundedReads.shared().head(file, MAX_FILE_BYTES + 1);
            if (content.length > MAX_FILE_BYTES) {
                throw error(file, tooLarge());
            }
            return content;
        } catch (NoSuchFileException e) {
            throw error(file, "file not found");
        } catch (AccessDeniedException e) {
            throw error(file, "cannot read file: permission denied");
        } catch (UnreadableFileException e) {
            throw error(file, e.getMessage());
        } catch (FileSystemException e) {
            throw error(file, "cannot read file: " + (e.getReason() != null ? e.getReason()
                    : e.getClass().getSimpleName()));
        } catch (IOException e) {
            throw error(file, "cannot read file: " + e.getClass().getSimpleName());
        }
    }

    private static String tooLarge() {
        return "file is larger than " + MAX_FILE_BYTES / (1024 * 1024) + " MiB; not a profile file";
    }

    private static String text(Path file, byte[] content) throws ProfileFileException {
        int start = content.length >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB
                && (content[2] & 0xFF) == 0xBF ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content, start, content.length - start)).toString();
        } catch (CharacterCodingException e) {
            throw error(file, NEITHER + " (not UTF-8 text)");
        }
    }

    private static ProfileFileException error(Path file, String message) {
        return new ProfileFileException(ProfileError.ofFile(file, 0, message));
    }
}
