package dev.mtls.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.OpenSslServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar mtls-agent.jar probe FILE HOST:PORT} against {@code openssl s_server -Verify 1},
 * which requires a client certificate from the test CA: what an operator reads before deploying.
 */
class ProbeIT {
    @TempDir
    static Path directory;
    private static TestSetup setup;
    private static OpenSslServer tls13;
    private static OpenSslServer tls12;

    @BeforeAll
    static void start() throws Exception {
        setup = new TestSetup(directory);
        tls13 = OpenSslServer.requiringClientCertificate(directory, setup.server, setup.ca);
        tls12 = OpenSslServer.requiringClientCertificate(directory, setup.server, setup.ca, "-tls1_2");
    }

    @AfterAll
    static void stop() {
        if (tls13 != null) {
            tls13.close();
        }
        if (tls12 != null) {
            tls12.close();
        }
    }

    static Stream<Path> jdks() {
        return ChildJvm.javaExecutables();
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void presentsTheProfilesCertificateAndSaysTheServerAcceptedIt(Path java) throws Exception {
        ChildJvm.Result probe = setup.trustingClient(ChildJvm.on(java)).runAgentJar(directory,
                "probe", setup.profiles.toString(), "localhost:" + tls13.port());

        assertEquals(0, probe.exitCode, probe.toString());
        assertEquals("probe localhost:" + tls13.port() + " with profile '" + TestSetup.PROFILE + "' (pattern localhost)",
                probe.stdout.lines().findFirst().orElse(""), probe.toString());
        assertTrue(probe.stdout.contains("  protocol          TLSv1.3\n"), probe.toString());
        assertTrue(probe.stdout.contains("  server chain      1. CN=localhost"), probe.toString());
        assertTrue(probe.stdout.contains("  server trusted    yes, by this JVM's default trust store\n"), probe.toString());
        assertTrue(probe.stdout.contains("  cert requested    yes\n"), probe.toString());
        assertTrue(probe.stdout.contains("  issuers accepted  " + setup.ca.certificate().getSubjectX500Principal().getName()
                + "\n"), probe.toString());
        assertTrue(probe.stdout.contains("  cert sent         " + TestSetup.CLIENT_SUBJECT + " (issuer "
                + setup.ca.certificate().getSubjectX500Principal().getName() + ", valid until "
                + setup.client.certificate().getNotAfter().toInstant() + "), from profile '" + TestSetup.PROFILE
                + "'\n"), probe.toString());
        assertTrue(probe.stdout.contains("  server accepted   yes (no alert within 2 s)"), probe.toString());
    }

    @Test
    void reportsTheServersRefusalWhenNoProfileMatches() throws Exception {
        ChildJvm.Result probe = setup.trustingClient(ChildJvm.on(current())).runAgentJar(directory,
                "probe", setup.profiles.toString(), "127.0.0.1:" + tls13.port());

        assertEquals(1, probe.exitCode, probe.toString());
        assertTrue(probe.stdout.startsWith("probe 127.0.0.1:" + tls13.port() + ": no profile matches"), probe.toString());
        assertTrue(probe.stdout.contains("  cert sent         none (no profile matches this host)\n"), probe.toString());
        assertTrue(probe.stdout.contains("  server accepted   NO: Received fatal alert: certificate_required"),
                probe.toString());
    }

    @Test
    void saysWhenATls12ServerEndsTheHandshakeAfterAskingForACertificate() throws Exception {
        ChildJvm.Result probe = setup.trustingClient(ChildJvm.on(current())).runAgentJar(directory,
                "probe", setup.profiles.toString(), "127.0.0.1:" + tls12.port());

        assertEquals(1, probe.exitCode, probe.toString());
        assertTrue(probe.stdout.contains("  cert requested    yes\n"), probe.toString());
        assertTrue(probe.stdout.contains("  handshake         FAILED: "), probe.toString());
        assertTrue(probe.stdout.contains("after the server asked for a certificate"), probe.toString());
    }

    @Test
    void showsTheChainOfAServerThisJvmDoesNotTrust() throws Exception {
        ChildJvm.Result probe = ChildJvm.on(current()).runAgentJar(directory,
                "probe", setup.profiles.toString(), "localhost:" + tls13.port());

        assertEquals(1, probe.exitCode, probe.toString());
        assertTrue(probe.stdout.contains("  server chain      1. CN=localhost"), probe.toString());
        assertTrue(probe.stdout.contains("  server trusted    NO, by this JVM's default trust store: "), probe.toString());
        assertTrue(probe.stdout.contains("  handshake         FAILED: the server is not trusted (above)"),
                probe.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void blamesTheProfileNotTheServerWhenAMandatoryProfileHasNoUsableCertificate(Path java) throws Exception {
        Path profiles = ProfileFiles.yaml(directory.resolve("expired.yaml"),
                ProfileFiles.profile("expired", setup.ca.issue("expired").clientAuth().expired().create(), "localhost"));

        ChildJvm.Result probe = setup.trustingClient(ChildJvm.on(java)).runAgentJar(directory,
                "probe", profiles.toString(), "localhost:" + tls13.port());

        assertEquals(1, probe.exitCode, probe.toString());
        assertTrue(probe.stdout.contains("  server chain      1. CN=localhost"), probe.toString());
        assertTrue(probe.stdout.contains("  server trusted    not checked: the profile cannot be used (below)\n"),
                probe.toString());
        assertTrue(probe.stdout.contains("  handshake         FAILED because of the profile, not the server:"
                + " mtls-agent: profile 'expired' has no usable client certificate: certificate CN=expired"),
                probe.toString());
        assertFalse(probe.stdout.contains("NO, by"), probe.toString());
    }

    @Test
    void namesTheProfilesProblemWhenAnOptionalProfileSendsNoCertificate() throws Exception {
        Path profiles = ProfileFiles.yaml(directory.resolve("expired-optional.yaml"),
                ProfileFiles.profile("lenient", setup.ca.issue("expired").clientAuth().expired().create(), "localhost"));
        Files.writeString(profiles, "    mode: optional\n", StandardOpenOption.APPEND);

        ChildJvm.Result probe = setup.trustingClient(ChildJvm.on(current())).runAgentJar(directory,
                "probe", profiles.toString(), "localhost:" + tls13.port());

        assertEquals(1, probe.exitCode, probe.toString());
        assertTrue(probe.stdout.contains("  server trusted    yes, by this JVM's default trust store\n"),
                probe.toString());
        assertTrue(probe.stdout.contains("  cert sent         none (profile 'lenient' (optional) has no usable client"
                + " certificate: certificate CN=expired"), probe.toString());
    }

    @Test
    void saysWhenNothingListens() throws Exception {
        OpenSslServer gone = OpenSslServer.requiringClientCertificate(directory, setup.server, setup.ca);
        int port = gone.port();
        gone.close();

        ChildJvm.Result probe = ChildJvm.on(current()).runAgentJar(directory,
                "probe", setup.profiles.toString(), "localhost:" + port);

        assertEquals(1, probe.exitCode, probe.toString());
        assertTrue(probe.stderr.startsWith("error: cannot connect to localhost:" + port + ": "), probe.toString());
    }

    private static Path current() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
