package dev.mtls.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.OpenSslServer;
import dev.mtls.testing.ServerReport;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import dev.mtls.testing.TlsTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A profile's upstream policy with the agent in an unmodified application: {@code serverNames},
 * {@code pins} (of the leaf, of the CA the server does not send, none matching), trust without CAs
 * of its own plus a pin, and {@code tls.minVersion: TLSv1.3} against a TLS 1.2-only
 * {@code openssl s_server} and against TLS 1.3 servers of both stacks. Every refusal names the
 * profile and the check, and is logged once. Then what {@code probe} shows of each check. The pins
 * are computed with openssl, as docs/POLICY.md tells operators to.
 *
 * <p>Each case has its own server address (a server and one of its two names), so that one profile
 * file and one child JVM per JDK run them all, through a socket (URLConnection) and an engine
 * (HttpClient).
 */
class UpstreamPolicyIT {
    private static final List<String> STYLES = List.of("urlconnection", "httpclient");

    @TempDir
    static Path directory;
    private static TestSetup setup;
    private static final StartedServers STARTED = new StartedServers();
    private static JdkTlsServer jdk;
    private static JdkTlsServer jdkOther;
    private static OpenSslServer tls13;
    private static OpenSslServer tls12;
    private static Path profiles;
    private static String leafPin;
    private static String caPin;
    private static String otherPin;

    @BeforeAll
    static void start() throws Exception {
        setup = new TestSetup(directory);
        jdk = started(JdkTlsServer.requiringClientCertificate(setup.server, setup.ca));
        jdkOther = started(JdkTlsServer.requiringClientCertificate(setup.server, setup.ca));
        tls13 = started(OpenSslServer.requiringClientCertificate(directory, setup.server, setup.ca));
        tls12 = started(OpenSslServer.requiringClientCertificate(directory, setup.server, setup.ca, "-tls1_2"));
        leafPin = opensslPin(setup.server.certificate());
        caPin = opensslPin(setup.ca.certificate());
        otherPin = opensslPin(TestPki.rootCa("Some other CA").create().certificate());
        TestPki.writePem(directory.resolve("backend-ca.pem"), setup.ca.certificate());
        profiles = Files.writeString(directory.resolve("policy.yaml"), String.join("\n",
                "version: 1",
                "profiles:",
                profile("names-match", "localhost:" + jdk.port(),
                        "      serverNames: [payments.internal, \"*.localhost\", localhost]", "TLSv1.3"),
                profile("names-none", "127.0.0.1:" + tls13.port(),
                        "      serverNames: [payments.internal, \"spiffe://bank.example/payments\"]", null),
                profile("ip-name", "127.0.0.1:" + jdkOther.port(), "      serverNames: [\"127.0.0.1\"]", null),
                profile("leaf-pin", "localhost:" + tls13.port(), "      pins: [\"" + leafPin + "\"]", "TLSv1.3"),
                profile("ca-pin", "localhost:" + jdkOther.port(), "      pins: [\"" + otherPin + "\", \"" + caPin
                        + "\"]", null),
                profile("no-pin", "127.0.0.1:" + tls12.port(), "      pins: [\"" + otherPin + "\"]", null),
                profile("tls13", "localhost:" + tls12.port(), null, "TLSv1.3"),
                // No CAs of its own: the application's trust store decides the chain, then the pin.
                "  - name: app-trust-pin",
                "    hosts: [\"127.0.0.1:" + jdk.port() + "\"]",
                "    identity: {certificate: client-chain.pem, key: client.key}",
                "    trust:",
                "      pins: [\"" + caPin + "\"]",
                ""));
    }

    private static String profile(String name, String host, String checks, String minVersion) {
        return "  - name: " + name + "\n    hosts: [\"" + host + "\"]\n"
                + "    identity: {certificate: client-chain.pem, key: client.key}\n"
                + "    trust:\n      certificates: backend-ca.pem\n" + (checks == null ? "" : checks + "\n")
                + (minVersion == null ? "" : "    tls: {minVersion: " + minVersion + "}\n");
    }

    private static <T extends TlsTestServer> T started(T server) {
        return STARTED.add(server);
    }

    @AfterAll
    static void stop() {
        STARTED.close();
    }

    static Stream<Path> jdks() {
        return ChildJvm.javaExecutables();
    }

    @TestFactory
    Stream<DynamicContainer> eachCheckAcceptsOrRefusesTheServerAndNamesProfileAndCheck() {
        return ChildJvm.javaExecutables().map(java -> dynamicContainer(ChildJvm.jdkName(java),
                Stream.of(java).flatMap(UpstreamPolicyIT::cases)));
    }

    private static Stream<DynamicTest> cases(Path java) {
        List<Case> cases = List.of(
                Case.accepted("serverNames matching (JDK server, TLS 1.3 required)", jdk, "localhost", "TLSv1.3"),
                Case.refused("serverNames matching none (openssl)", tls13, "127.0.0.1",
                        "mtls-agent: profile 'names-none': serverNames: the server certificate CN=localhost carries"
                                + " none of [payments.internal, spiffe://bank.example/payments] (it names [localhost,"
                                + " 127.0.0.1])"),
                Case.accepted("serverNames IP address (JDK server)", jdkOther, "127.0.0.1", "TLSv1.3"),
                Case.accepted("pin of the leaf, TLS 1.3 required (openssl TLS 1.3)", tls13, "localhost", "TLSv1.3"),
                Case.accepted("pin of the CA the server does not send (JDK server)", jdkOther, "localhost", "TLSv1.3"),
                // s_server sends the CA from its -CAfile along: no anchor to look up.
                Case.refused("no pin matching (openssl TLS 1.2)", tls12, "127.0.0.1",
                        "mtls-agent: profile 'no-pin': pins: none of the 1 pins matches a certificate of the"
                                + " server's chain; they have [" + leafPin + " (the leaf CN=localhost), "
                                + caPin + " (CN=mtls-agent IT CA)]"),
                Case.refused("TLS 1.3 required, openssl speaks TLS 1.2 only", tls12, "localhost",
                        "mtls-agent: profile 'tls13': tls.minVersion: negotiated TLSv1.2, profile 'tls13' requires"
                                + " TLSv1.3 or later"),
                Case.accepted("application trust, then the CA's pin (JDK server)", jdk, "127.0.0.1", "TLSv1.3"));
        List<String> arguments = new ArrayList<>(List.of(String.join(",", STYLES)));
        for (Case c : cases) {
            arguments.add(c.url);
        }
        ChildJvm.Result result = MutualTlsIT.run(setup.trustingClient(ChildJvm.on(java)).agent("profiles=" + profiles)
                .jvmArgument(OpenSslServer.CLIENT_JVM_ARGUMENT), arguments);
        Map<String, ClientCall> calls = ClientCall.parseAll(result.stdout);
        DynamicTest loggedOnce = dynamicTest("each refusal is logged once, for all the calls it refused", () -> {
            assertEquals(0, result.exitCode, result.toString());
            for (Case c : cases) {
                if (c.failure != null) {
                    String check = c.failure.substring("mtls-agent: ".length(), c.failure.indexOf(": ", 30) + 2);
                    assertEquals(List.of("WARNING: " + c.failure), result.stderrLinesWith(check), result.toString());
                }
            }
        });
        return Stream.concat(Stream.of(loggedOnce), STYLES.stream().flatMap(style -> cases.stream()
                .map(c -> dynamicTest(style + ", " + c.label, () -> {
                    ClientCall call = calls.get(ClientCall.key(style, c.url));
                    assertNotNull(call, () -> "no result for this call: " + result.ending());
                    if (c.failure == null) {
                        assertEquals("ok, " + new ServerReport(TestSetup.CLIENT_SUBJECT, c.protocol),
                                call.outcomeAt(c.server), () -> call + "\n" + result.ending());
                    } else {
                        assertTrue(!call.succeeded() && call.failure().contains(c.failure), call.toString());
                    }
                }))));
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void probeShowsTheNegotiatedVersionAndThePinThatMatched(Path java) throws Exception {
        ChildJvm.Result probe = probe(java, "localhost:" + tls13.port());

        assertEquals(0, probe.exitCode, probe.toString());
        assertTrue(probe.stdout.contains("  server trusted    yes, by the profile's CAs\n"), probe.toString());
        assertTrue(probe.stdout.contains("  tls.minVersion    negotiated TLSv1.3 (TLSv1.3 or later required)\n"),
                probe.toString());
        assertTrue(probe.stdout.contains("  pins              '" + leafPin + "' matched the leaf CN=localhost\n"),
                probe.toString());
        assertTrue(probe.stdout.contains("  server accepted   yes"), probe.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void probeShowsWhichServerNameMatchedAndThePinOfTheAnchor(Path java) throws Exception {
        ChildJvm.Result names = probe(java, "localhost:" + jdk.port());
        assertEquals(0, names.exitCode, names.toString());
        assertTrue(names.stdout.contains("  serverNames       'localhost' matched DNS name 'localhost'\n"),
                names.toString());

        ChildJvm.Result anchor = probe(java, "localhost:" + jdkOther.port());
        assertEquals(0, anchor.exitCode, anchor.toString());
        assertTrue(anchor.stdout.contains("  pins              '" + caPin + "' matched the anchor CN=mtls-agent IT CA\n"),
                anchor.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void probeShowsTheCheckThatRefusedTheServer(Path java) throws Exception {
        ChildJvm.Result probe = probe(java, "localhost:" + tls12.port());

        assertEquals(1, probe.exitCode, probe.toString());
        assertTrue(probe.stdout.contains("  server trusted    yes, by the profile's CAs\n"), probe.toString());
        assertTrue(probe.stdout.contains("  tls.minVersion    FAILED: negotiated TLSv1.2, profile 'tls13' requires"
                + " TLSv1.3 or later\n"), probe.toString());
        assertTrue(probe.stdout.contains("  handshake         FAILED: refused by profile 'tls13' (above)\n"),
                probe.toString());

        ChildJvm.Result names = probe(java, "127.0.0.1:" + tls13.port());
        assertEquals(1, names.exitCode, names.toString());
        assertTrue(names.stdout.contains("  serverNames       FAILED: the server certificate CN=localhost carries none"
                + " of [payments.internal, spiffe://bank.example/payments] (it names [localhost, 127.0.0.1])\n"),
                names.toString());
    }

    /** {@code sha256/} and the base64 SHA-256 of the certificate's SubjectPublicKeyInfo, by openssl. */
    private static String opensslPin(java.security.cert.X509Certificate certificate) throws Exception {
        Path file = TestPki.writePem(Files.createTempFile(directory, "pin-", ".pem"), certificate);
        ChildJvm.Result result = ChildJvm.run(List.of("sh", "-c", "openssl x509 -in '" + file + "' -pubkey -noout"
                + " | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | openssl enc -base64"),
                Map.of(), 30);
        assertEquals(0, result.exitCode, result.toString());
        return "sha256/" + result.stdout.strip();
    }

    private static ChildJvm.Result probe(Path java, String hostAndPort) throws Exception {
        return setup.trustingClient(ChildJvm.on(java)).runAgentJar(directory, "probe", profiles.toString(), hostAndPort);
    }

    /** A server address, and either the protocol and our certificate the server must report, or the failure. */
    private static final class Case {
        final String label;
        final TlsTestServer server;
        final String url;
        final String protocol;
        final String failure;

        private Case(String label, TlsTestServer server, String host, String protocol, String failure) {
            this.label = label;
            this.server = server;
            this.url = server.url(host, "/");
            this.protocol = protocol;
            this.failure = failure;
        }

        static Case accepted(String label, TlsTestServer server, String host, String protocol) {
            return new Case(label, server, host, protocol, null);
        }

        static Case refused(String label, TlsTestServer server, String host, String failure) {
            return new Case(label, server, host, null, failure);
        }
    }
}
