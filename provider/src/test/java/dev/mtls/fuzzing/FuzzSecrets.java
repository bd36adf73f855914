package dev.mtls.fuzzing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;

/**
 * Distinctive secret values the fuzz harnesses hide behind {@code ${env:…}}, {@code ${sys:…}},
 * {@code ${file:…}} and passwords. The fuzzer never sees them (they are in no input and nothing
 * compares input text against them), so one appearing in a message can only be an echo of a
 * resolved secret.
 */
public final class FuzzSecrets {
    public static final String ENV_NAME = "MTLS_FUZZ_PASSWORD";
    public static final String ENV_VALUE = "Qz7envS3cretVx";
    public static final String SYS_NAME = "mtls.fuzz.password";
    public static final String SYS_VALUE = "Jw4sysS3cretKp";
    public static final String FILE_NAME = "password.txt";
    public static final String FILE_VALUE = "Hn2fileS3cretTb";
    public static final String PASSWORD = "Yc9keyS3cretMf";

    private static final List<String> ALL = List.of(ENV_VALUE, SYS_VALUE, FILE_VALUE, PASSWORD);

    private FuzzSecrets() {
    }

    /** Fails the fuzz run when {@code message} (from {@code where}) contains any secret value. */
    public static void assertNoSecretIn(String message, String where) {
        if (message == null) {
            return;
        }
        for (String secret : ALL) {
            if (message.contains(secret)) {
                fail("a secret value appeared in " + where + ": " + message);
            }
        }
    }
}
