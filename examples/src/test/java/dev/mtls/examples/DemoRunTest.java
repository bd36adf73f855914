package dev.mtls.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo as a user sees it: {@code examples/demo/run.sh} with the jars this build made
 * ({@code --no-build}), its output read section by section. One run serves every test.
 */
class DemoRunTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("user.dir"));
    private static final List<String> CLIENTS = List.of("HttpClient", "HttpsURLConnection", "OkHttp 4",
            "Apache HttpClient 5");
    private static final String SUBJECT = "CN=bot-client,O=mtls-demo";
    private static final String ROTATED = "CN=bot-client-rotated,O=mtls-demo";
    private static final String SERVER = "CN=demo-backend,O=mtls-demo";
    private static final String SERVER_ROTATED = "CN=demo-backend-rotated,O=mtls-demo";

    @TempDir
    static Path demo;

    private static int status;
    private static String output;

    @BeforeAll
    static void runTheDemo() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", EXAMPLES.resolve("demo/run.sh").toString(), "--no-build")
                .redirectErrorStream(true);
        builder.environment().put("MTLS_DEMO_DIR", demo.resolve("demo").toString());
        // java and keytool from the JDK that runs the tests, whatever the PATH says.
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                + System.getenv("PATH"));
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = builder.start();
        byte[] bytes = process.getInputStream().readAllBytes();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            throw new AssertionError("run.sh did not finish:\n" + new String(bytes, StandardCharsets.UTF_8));
        }
        status = process.exitValue();
        output = new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void demoRunsToTheEnd() {
        assertEquals(0, status, output);
        assertTrue(section("== the sample profiles").contains("3 profiles loaded, 0 errors"), output);
    }

    @Test
    void theBackendsListenerRefusesACallerWithoutACertificateWithTheTlsAlert() {
        String section = section("== the demo backend");

        // SunJSSE's own alert for a missing certificate: bad_certificate on JDK 17, certificate_required on JDK 25.
        String refused = "openssl s_client, no client certificate -> refused: alert ";
        assertTrue(section.contains(refused + "bad certificate") || section.contains(refused + "certificate required"),
                output);
        assertTrue(section.contains("backend log: refused a handshake: "), output);
    }

    @Test
    void withoutTheAgentTheBackendRefusesEveryClient() {
        String section = section("== 1.");
        for (String client : CLIENTS) {
            assertTrue(clientLine(section, client).contains("-> failed: "), output);
        }
    }

    @Test
    void withTheAgentEveryClientPresentsTheProfileCertificate() {
        String section = section("== 2.");
        for (String client : CLIENTS) {
            assertTrue(clientLine(section, client).endsWith("-> 200 hello " + SUBJECT), output);
        }
    }

    @Test
    void rotationTakesEffectWithNoFailedCall() {
        List<String> rounds = section("== 3.").lines().filter(line -> line.startsWith("round"))
                .collect(Collectors.toList());

        assertFalse(rounds.isEmpty(), output);
        for (String round : rounds) {
            assertTrue(round.contains(" 4/4 ok "), "a call failed: " + round + "\n" + output);
        }
        assertTrue(rounds.get(0).endsWith("ok  " + SUBJECT), output);
        assertTrue(section("== 3.").contains(" 0 failed; the backend saw " + SUBJECT + ", then " + ROTATED), output);
        // OkHttp included: it keeps only its SSLContext's socket factory, so the weakly registered
        // context may be collected and never swept; the check SunJSSE makes before it resumes a
        // cached session still refuses one made under the old certificate.
        Map<String, String> last = subjectByClient(rounds.get(rounds.size() - 1));
        for (String client : CLIENTS) {
            assertEquals(ROTATED, last.get(client), client + " in the last round:\n" + output);
        }
    }

    @Test
    void backendServerCertificateRotatesWhileTheBotKeepsCallingWithNoFailedCall() {
        String section = section("== 4.");
        List<String> rounds = section.lines().filter(line -> line.startsWith("round")).collect(Collectors.toList());

        assertFalse(rounds.isEmpty(), output);
        for (String round : rounds) {
            assertTrue(round.contains(" 4/4 ok "), "a call failed: " + round + "\n" + output);
        }
        assertTrue(rounds.get(0).endsWith("ok  " + ROTATED + " | server " + SERVER), output);
        assertTrue(section.contains(" 0 failed; the backend saw " + ROTATED
                + "; the bot saw server certificates " + SERVER + ", then " + SERVER_ROTATED), output);
        Map<String, String> last = subjectByClient(rounds.get(rounds.size() - 1));
        for (String client : CLIENTS) {
            assertEquals(ROTATED + " | server " + SERVER_ROTATED, last.get(client), client + " in the last round:\n"
                    + output);
        }
    }

    /**
     * {@code round  8  4/4 ok  S1 (A, B); S2 (C, D)}, or with one subject for all, {@code … ok  S}; with
     * {@code --server} each S reads {@code SUBJECT | server SERVER}.
     */
    private static Map<String, String> subjectByClient(String round) {
        String subjects = round.substring(round.indexOf(" ok  ") + " ok  ".length());
        Map<String, String> byClient = new HashMap<>();
        for (String part : subjects.split("; ")) {
            Matcher some = Pattern.compile("(.*) \\((.*)\\)").matcher(part);
            if (some.matches()) {
                for (String client : some.group(2).split(", ")) {
                    byClient.put(client, some.group(1));
                }
            } else {
                CLIENTS.forEach(client -> byClient.put(client, part));
            }
        }
        return byClient;
    }

    /** The lines from the heading that starts with {@code heading} to the next heading. */
    private static String section(String heading) {
        int start = output.indexOf("\n" + heading);
        assertTrue(start >= 0, "no section '" + heading + "' in:\n" + output);
        int end = output.indexOf("\n== ", start + 1);
        return output.substring(start + 1, end < 0 ? output.length() : end);
    }

    private static String clientLine(String section, String client) {
        return section.lines().filter(line -> line.startsWith(String.format("%-20s->", client))).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + client + " in:\n" + output)).strip();
    }
}
