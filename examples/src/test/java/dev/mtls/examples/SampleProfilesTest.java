package dev.mtls.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's own path, end to end: the openssl PKI script, the sample profiles as shipped, and
 * {@code java -jar mtls-agent.jar check} from the built jar.
 */
class SampleProfilesTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("user.dir"));
    private static final Path AGENT_JAR = EXAMPLES.resolve("../agent/target/mtls-agent.jar").normalize();

    @TempDir
    static Path demo;

    @BeforeAll
    static void makeDemoPki() throws Exception {
        Result result = run(List.of("bash", EXAMPLES.resolve("demo/make-pki.sh").toString(), demo.toString()));
        assertEquals(0, result.status, result.output);
        Files.copy(EXAMPLES.resolve("profiles/profiles.yaml"), demo.resolve("profiles.yaml"));
        Files.copy(EXAMPLES.resolve("profiles/wso2-ssl-profiles.xml"), demo.resolve("wso2-ssl-profiles.xml"));
    }

    @Test
    void yamlSampleChecksCleanWithPemEncryptedPemAndPkcs12Identities() throws Exception {
        Result result = check(demo.resolve("profiles.yaml").toString());

        assertEquals(0, result.status, result.output);
        assertTrue(result.output.contains("YAML profiles, 3 profiles loaded, 0 errors"), result.output);
        assertTrue(line(result, "payments ").contains("CN=bot-client,O=mtls-demo"), result.output);
        assertTrue(line(result, "payments ").contains("CN=Demo Backend CA,O=mtls-demo"), result.output);
        assertTrue(line(result, "orders ").contains("RSA 2048"), result.output);
        assertTrue(line(result, "crm ").contains("CN=crm-client,O=mtls-demo"), result.output);
    }

    @Test
    void wso2SampleChecksCleanAgainstItsHomeFolder() throws Exception {
        Result result = check(demo.resolve("wso2-ssl-profiles.xml").toString(), "--base",
                demo.resolve("wso2-home").toString());

        assertEquals(0, result.status, result.output);
        assertTrue(result.output.contains("WSO2 SSL profiles, 2 profiles loaded, 0 errors"), result.output);
        assertTrue(line(result, "localhost:8244").contains("(trust only)"), result.output);
        assertTrue(line(result, "backend.example.com:9443").contains("CN=wso2-client,O=mtls-demo"), result.output);
    }

    private static String line(Result result, String text) {
        return result.output.lines().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + text + "' in:\n" + result.output));
    }

    private static Result check(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", AGENT_JAR.toString(), "check"));
        command.addAll(List.of(args));
        return run(command);
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ORDERS_KEY_PASSWORD", "demo-orders-pass");
        // keytool comes from the JDK that runs the tests, whatever the PATH says.
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                + System.getenv("PATH"));
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static final class Result {
        final int status;
        final String output;

        Result(int status, String output) {
            this.status = status;
            this.output = output;
        }
    }
}
