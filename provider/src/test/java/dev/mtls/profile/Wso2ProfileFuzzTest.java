package dev.mtls.profile;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the WSO2 XML profile parser through {@link ProfileFileReader}, from the
 * corpus in {@code Wso2ProfileFuzzTestInputs/readsOrRefusesWithoutEchoingSecrets}. See docs/FUZZING.md.
 */
class Wso2ProfileFuzzTest {
    private static final ProfileFuzzing PROFILES = new ProfileFuzzing();

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "5s")
    void readsOrRefusesWithoutEchoingSecrets(byte[] content) throws IOException {
        PROFILES.readAndCheck(content);
    }
}
