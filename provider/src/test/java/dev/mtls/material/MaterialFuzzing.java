package dev.mtls.material;

import static dev.mtls.fuzzing.FuzzSecrets.assertNoSecretIn;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checks the key-material fuzz tests share. */
final class MaterialFuzzing {
    private MaterialFuzzing() {
    }

    static Path folder(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documented failure: names the file first and never holds a password. */
    static void assertOperatorMessage(MaterialException e, Path file) {
        String message = e.getMessage();
        assertTrue(message != null && message.startsWith(file.toString()), "message without the file: " + message);
        assertNoSecretIn(message, "a key-material error");
    }
}
