package dev.mtls.profile;

import java.nio.file.Path;

/**
 * Reads a profile file and detects its format from the content (to be implemented): native YAML
 * ({@code version: 1}) or a WSO2 {@code customSSLProfiles} XML file, accepted as-is.
 */
public final class ProfileFileReader {
    private final SecretResolver secrets;

    public ProfileFileReader(SecretResolver secrets) {
        this.secrets = secrets;
    }

    /**
     * @param base the folder relative key-material paths resolve against; null for the file's own folder
     * @throws ProfileFileException when the file as a whole cannot be used
     */
    public ProfileDocument read(Path file, Path base) throws ProfileFileException {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
