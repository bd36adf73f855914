package dev.mtls.profile;

import static dev.mtls.fuzzing.FuzzSecrets.assertNoSecretIn;

import dev.mtls.fuzzing.FuzzSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * What the profile-file fuzz tests share: one folder holding the profile file and a secret file,
 * a {@link SecretResolver} whose {@code env}, {@code sys} and {@code file} references resolve to
 * {@link FuzzSecrets}, and the checks. {@link ProfileFileReader#read} may only end in a
 * {@link ProfileDocument} or a {@link ProfileFileException}; anything else (a runtime exception, a
 * stack overflow, a hang caught by the fuzz test's timeout) is a finding, and so is a secret value
 * in any error message.
 */
final class ProfileFuzzing {
    private final Path folder;
    private final Path file;
    private final ProfileFileReader reader;

    ProfileFuzzing() {
        try {
            folder = Files.createTempDirectory("mtls-fuzz-profiles");
            Files.writeString(folder.resolve(FuzzSecrets.FILE_NAME), FuzzSecrets.FILE_VALUE + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        file = folder.resolve("profiles");
        Properties properties = new Properties();
        properties.setProperty(FuzzSecrets.SYS_NAME, FuzzSecrets.SYS_VALUE);
        reader = new ProfileFileReader(new SecretResolver(Map.of(FuzzSecrets.ENV_NAME, FuzzSecrets.ENV_VALUE),
                properties));
    }

    void readAndCheck(byte[] content) throws IOException {
        Files.write(file, content);
        ProfileDocument document;
        try {
            document = reader.read(file, folder);
        } catch (ProfileFileException e) {
            assertNoSecretIn(e.getMessage(), "a file error");
            return;
        }
        for (ProfileError error : document.errors()) {
            assertNoSecretIn(error.toString(), "a profile error");
        }
        for (ProfileDefinition profile : document.profiles()) {
            // Names and hosts are printed by check and which; they are never resolved.
            assertNoSecretIn(profile.name() + " " + profile.hosts(), "a profile's name or hosts");
        }
    }
}
