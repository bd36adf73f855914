package dev.mtls.profile;

import dev.mtls.files.BoundedReads;
import dev.mtls.files.UnreadableFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Expands {@code ${env:NAME}}, {@code ${sys:NAME}} and {@code ${file:PATH}} (first line,
 * trimmed; relative to the base folder) in a field value. A {@code $} not followed by {@code {}
 * is literal, and {@code $${} stands for a literal {@code ${}, for the rare password that
 * contains one. Expanded values are not scanned again. An unresolved reference is an
 * {@link IllegalArgumentException} whose message names the reference but never a value, and a
 * {@code ${} that starts no reference is not quoted (it may be part of a literal password).
 * Only password fields are expanded; {@link #reference} finds a reference in any other field so
 * that the parsers can refuse it.
 */
public final class SecretResolver {
    /** A secret file is a password, not a document; reading stops here whatever the file holds. */
    private static final int MAX_SECRET_FILE_BYTES = 64 * 1024;

    private final Map<String, String> environment;
    private final Properties systemProperties;

    public SecretResolver(Map<String, String> environment, Properties systemProperties) {
        this.environment = Map.copyOf(environment);
        this.systemProperties = systemProperties;
    }

    /** Resolves against this process's environment and system properties. */
    public static SecretResolver system() {
        return new SecretResolver(System.getenv(), System.getProperties());
    }

    /**
     * @param base the folder a relative {@code ${file:PATH}} resolves against; null for the
     *     working directory
     * @throws IllegalArgumentException naming the reference that cannot be resolved
     */
    public String resolve(String text, Path base) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (c == '$' && text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    // Not echoed: the text may be a literal password that happens to contain "${".
                    throw new IllegalArgumentException("unterminated '${' (a reference is ${env:NAME}, "
                            + "${sys:NAME} or ${file:PATH}; write $${ for a literal ${)");
                }
                out.append(lookUp(text.substring(i, end + 1), text.substring(i + 2, end), base));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * The first reference in {@code text} (up to its closing brace, or the rest of the text when
     * there is none), skipping {@code $${} escapes; null when there is none.
     */
    static String reference(String text) {
        int i = text.indexOf("${");
        while (i >= 0) {
            if (i > 0 && text.charAt(i - 1) == '$') {
                i = text.indexOf("${", i + 2);
                continue;
            }
            int end = text.indexOf('}', i + 2);
            return end < 0 ? text.substring(i) : text.substring(i, end + 1);
        }
        return null;
    }

    /** {@code text} with every {@code $${} as the literal {@code ${} it stands for. */
    static String unescape(String text) {
        return text.indexOf("$${") < 0 ? text : text.replace("$${", "${");
    }

    private String lookUp(String reference, String body, Path base) {
        int colon = body.indexOf(':');
        String scheme = colon < 0 ? "" : body.substring(0, colon);
        String name = body.substring(colon + 1);
        if (!scheme.equals("env") && !scheme.equals("sys") && !scheme.equals("file")) {
            // Not echoed: "${...}" in a password may be part of the password itself.
            throw new IllegalArgumentException("'${' starts something other than a reference (a reference is"
                    + " ${env:NAME}, ${sys:NAME} or ${file:PATH}; write $${ for a literal ${)");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty name in " + reference);
        }
        switch (scheme) {
            case "env": {
                String value = environment.get(name);
                if (value == null) {
                    throw new IllegalArgumentException("environment variable " + name + " is not set");
                }
                return value;
            }
            case "sys": {
                String value = systemProperties.getProperty(name);
                if (value == null) {
                    throw new IllegalArgumentException("system property " + name + " is not set");
                }
                return value;
            }
            default:
                return firstLine(name, base);
        }
    }

    private static String firstLine(String name, Path base) {
        Path file;
        try {
            Path path = Path.of(name);
            file = (base == null ? path.toAbsolutePath() : base.toAbsolutePath().resolve(path)).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("secret file name in ${file:…} is not a valid path");
        }
        byte[] head;
        try {
            // Bounded in time as well as size: a FIFO or a hung mount must not capture the caller.
            head = BoundedReads.shared().head(file, MAX_SECRET_FILE_BYTES);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("secret file " + file + " not found");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("secret file " + file + " cannot be read (permission denied)");
        } catch (UnreadableFileException e) {
            throw new IllegalArgumentException("secret file " + file + ": " + e.getMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("secret file " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        int length = 0;
        while (length < head.length && head[length] != '\n' && head[length] != '\r') {
            length++;
        }
        if (length == MAX_SECRET_FILE_BYTES) {
            throw new IllegalArgumentException("secret file " + file + " has a first line longer than "
                    + MAX_SECRET_FILE_BYTES + " bytes");
        }
        try {
            String line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(head, 0, length))
                    .toString();
            return line.startsWith("\uFEFF") ? line.substring(1).trim() : line.trim();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("secret file " + file + " is not UTF-8 text");
        }
    }
}
