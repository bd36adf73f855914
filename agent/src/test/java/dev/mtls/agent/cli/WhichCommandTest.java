package dev.mtls.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhichCommandTest {
    @TempDir
    static Path dir;
    static Path profiles;

    @BeforeAll
    static void writeProfiles() throws IOException {
        TestCertificate ca = TestPki.rootCa("Client CA").create();
        TestCertificate client = ca.issue("client").clientAuth().create();
        client.writeChain(dir.resolve("chain.pem"));
        client.writePkcs8Key(dir.resolve("client.key"));
        String identity = "    identity: {certificate: chain.pem, key: client.key}\n";
        profiles = Files.writeString(dir.resolve("profiles.yaml"), "version: 1\nprofiles:\n"
                + "  - name: api-port\n    hosts: [api.example.com:8443]\n" + identity
                + "  - name: api\n    hosts: [api.example.com]\n" + identity
                + "  - name: wild-port\n    hosts: [\"*.example.com:8443\"]\n" + identity
                + "  - name: wild\n    hosts: [\"*.example.com\"]\n" + identity
                + "  - name: v6\n    hosts: [\"[2001:db8::1]:8443\"]\n" + identity
                + "  - name: broken\n    hosts: [broken.internal]\n"
                + "    identity: {certificate: chain.pem, key: missing.key}\n"
                + "  - name: pinned\n    hosts: [pinned.internal]\n    mode: optional\n"
                + "    trust: {certificates: ca.pem, colour: blue}\n");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "api.example.com:8443|api.example.com:8443: profile 'api-port' (pattern api.example.com:8443: exact host, port 8443)",
        "API.Example.com.:443|API.Example.com.:443: profile 'api' (pattern api.example.com: exact host, any port)",
        "api.example.com|api.example.com: profile 'api' (pattern api.example.com: exact host, any port)",
        "x.example.com:8443|x.example.com:8443: profile 'wild-port' (pattern *.example.com:8443: wildcard, port 8443)",
        "a.b.example.com:443|a.b.example.com:443: profile 'wild' (pattern *.example.com: wildcard, any port)",
        "[2001:0db8::0001]:8443|[2001:0db8::0001]:8443: profile 'v6' (pattern [2001:db8::1]:8443: exact host, port 8443)",
        "example.com:443|example.com:443: no profile; the connection is left exactly as without the agent",
        "badexample.com|badexample.com: no profile; the connection is left exactly as without the agent",
    })
    void namesTheProfileAndThePatternThatWon(String target, String expected) {
        CommandLineRun run = CommandLineRun.of("which", profiles.toString(), target);

        assertEquals(0, run.status, run.toString());
        assertEquals(expected, run.out.strip());
    }

    @Test
    void saysWhenTheMatchedProfileIsUnusableAndWhatHandshakesWillDo() {
        CommandLineRun run = CommandLineRun.of("which", profiles.toString(), "broken.internal:443");

        assertEquals(0, run.status, run.toString());
        assertTrue(run.out.startsWith("broken.internal:443: profile 'broken'"), run.toString());
        assertTrue(run.out.contains("but the profile is unusable: "), run.toString());
        assertTrue(run.out.contains("missing.key"), run.toString());
        assertTrue(run.out.contains("handshakes to this host fail (mode mandatory)"), run.toString());
        // The file's problems come first as warnings, once each; the profile is not dropped, so the
        // warning must not say it is "not considered".
        assertEquals(2, run.err.lines().filter(line -> line.startsWith("warning: ")).count(), run.toString());
        assertTrue(run.err.contains("warning: " + profiles + ":"), run.toString());
        assertFalse(run.err.contains("not considered"), run.toString());
    }

    @Test
    void saysThatAnOptionalProfileWhoseTrustDidNotReadStillFails() {
        CommandLineRun run = CommandLineRun.of("which", profiles.toString(), "pinned.internal:443");

        assertEquals(0, run.status, run.toString());
        assertTrue(run.out.startsWith("pinned.internal:443: profile 'pinned'"), run.toString());
        assertTrue(run.out.contains("unknown field 'colour' in trust"), run.toString());
        assertTrue(run.out.contains("handshakes to this host fail (its trust or tls section did not load; in either mode)"),
                run.toString());
    }

    @Test
    void rejectsABadPortAsUsage() {
        CommandLineRun run = CommandLineRun.of("which", profiles.toString(), "api.example.com:99999");

        assertEquals(2, run.status, run.toString());
        assertTrue(run.err.contains("bad port in api.example.com:99999"), run.toString());
    }
}
