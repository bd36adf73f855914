package dev.mtls.agent;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the option parser. {@link AgentOptions#parse} never throws: every
 * problem becomes a line of {@link AgentOptions#problems()}. An input is text: its first line is
 * the agent argument, later lines {@code mtls.NAME=value} are system properties and
 * {@code MTLS_NAME=value} environment variables. See docs/FUZZING.md.
 */
class AgentOptionsFuzzTest {
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "5s")
    void neverThrowsAndReportsEveryProblemAsALine(byte[] input) {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", -1);
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int equals = lines[i].indexOf('=');
            if (equals > 0) {
                (lines[i].startsWith("MTLS_") ? environment : properties).put(lines[i].substring(0, equals),
                        lines[i].substring(equals + 1));
            }
        }
        AgentOptions options = AgentOptions.parse(lines[0], properties, environment);
        for (String problem : options.problems()) {
            assertTrue(problem != null && !problem.isBlank(), "an empty problem line");
        }
        assertNotNull(options.log());
        assertNotNull(options.expiryWarning());
        assertNotNull(options.reload());
        assertNotNull(options.profiles());
        assertNotNull(options.base());
    }
}
