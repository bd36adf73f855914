package dev.mtls.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mtls.itapps.HttpsClientApp;
import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.OpenSslOcspResponder;
import dev.mtls.testing.OpenSslServer;
import dev.mtls.testing.ServerReport;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import dev.mtls.testing.TlsTestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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

/**
 * Revocation by OCSP in an unmodified application, with a real responder ({@code openssl ocsp}
 * on loopback, signing with the CA's key) and real servers (a JDK {@code HttpsServer} and
 * {@code openssl s_server}): a revoked server certificate is refused with the message naming the
 * profile, the responder and the reason; a good one is accepted; with the responder unreachable,
 * {@code onUnknown: fail} refuses and {@code allow} lets the handshake through with a warning;
 * a stapled response ({@code s_server -status_file}, TLS 1.3 and 1.2) decides without the responder,
 * which for that profile is not even running. One child JVM per JDK calls every server.
 */
class RevocationOcspIT {
    private static final Instant REVOKED_AT = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    static Path directory;
    private static TestSetup setup;
    private static TestCertificate revoked;
    private static OpenSslOcspResponder responder;
    private static final List<TlsTestServer> STARTED = new ArrayList<>();
    private static TlsTestServer goodJdk;
    private static TlsTestServer goodJdkResponderDown;
    private static TlsTestServer goodJdkResponderDownAllowed;
    private static TlsTestServer revokedJdk;
    private static TlsTestServer revokedOpenSsl;
    private static TlsTestServer stapledOpenSsl;
    private static TlsTestServer stapledOpenSslTls12;
    private static String deadResponder;
    private static Path profiles;

    @BeforeAll
    static void start() throws Exception {
        setup = new TestSetup(directory);
        revoked = setup.ca.issueLocalhostServer();
        responder = new OpenSslOcspResponder(directory, setup.ca, setup.ca).good(setup.server)
                .revoked(revoked, REVOKED_AT, "keyCompromise").start(60);
        Path staple = responder.writeResponse(setup.server, directory.resolve("staple.der"), 60);
        goodJdk = started(JdkTlsServer.requiringClientCertificate(setup.server, setup.ca));
        goodJdkResponderDown = started(JdkTlsServer.requiringClientCertificate(setup.server, setup.ca));
        goodJdkResponderDownAllowed = started(JdkTlsServer.requiringClientCertificate(setup.server, setup.ca));
        revokedJdk = started(JdkTlsServer.requiringClientCertificate(revoked, setup.ca));
        revokedOpenSsl = started(OpenSslServer.requiringClientCertificate(directory, revoked, setup.ca));
        stapledOpenSsl = started(OpenSslServer.requiringClientCertificate(directory, setup.server, setup.ca,
                "-status_file", staple.toString()));
        stapledOpenSslTls12 = started(OpenSslServer.requiringClientCertificate(directory, setup.server, setup.ca,
                "-status_file", staple.toString(), "-tls1_2"));
        try (ServerSocket closed = new ServerSocket(0)) {
            deadResponder = "http://127.0.0.1:" + closed.getLocalPort();
        }
        TestPki.writePem(directory.resolve("ca.pem"), setup.ca.certificate());
        List<String> lines = new ArrayList<>(List.of("version: 1", "profiles:"));
        lines.addAll(profile("ocsp", responder.url(), "fail", goodJdk, revokedJdk, revokedOpenSsl));
        lines.addAll(profile("responder-down", deadResponder, "fail", goodJdkResponderDown));
        lines.addAll(profile("responder-down-allowed", deadResponder, "allow", goodJdkResponderDownAllowed));
        lines.addAll(profile("stapled", deadResponder, "fail", stapledOpenSsl, stapledOpenSslTls12));
        profiles = Files.write(directory.resolve("ocsp.yaml"), lines);
    }

    private static List<String> profile(String name, String responderUrl, String onUnknown,
            TlsTestServer... servers) {
        List<String> hosts = new ArrayList<>();
        for (TlsTestServer server : servers) {
            hosts.add("localhost:" + server.port());
        }
        return List.of(
                "  - name: " + name,
                "    hosts: [" + String.join(", ", hosts) + "]",
                "    identity:",
                "      certificate: client-chain.pem",
                "      key: client.key",
                "    trust:",
                "      certificates: ca.pem",
                "      revocation:",
                "        ocsp: true",
                "        ocspResponder: " + responderUrl,
                "        onUnknown: " + onUnknown);
    }

    private static TlsTestServer started(TlsTestServer server) {
        STARTED.add(server);
        return server;
    }

    @AfterAll
    static void stop() {
        STARTED.forEach(TlsTestServer::close);
        if (responder != null) {
            responder.close();
        }
    }

    @TestFactory
    Stream<DynamicContainer> decidesEachHandshakeByOcsp() {
        return ChildJvm.javaExecutables().map(java -> dynamicContainer(ChildJvm.jdkName(java),
                Stream.of(java).flatMap(unused -> cases(java))));
    }

    private static Stream<DynamicTest> cases(Path java) {
        List<String> arguments = new ArrayList<>(List.of("urlconnection,httpclient"));
        for (TlsTestServer server : STARTED) {
            arguments.add(server.url("localhost", "/"));
        }
        ChildJvm.Result result;
        try {
            // The JDK asks for stapled responses by default (17 and 25); said here as an operator would.
            result = setup.trustingClient(ChildJvm.on(java)).agent("profiles=" + profiles)
                    .jvmArgument("-Djdk.tls.client.enableStatusRequestExtension=true")
                    .jvmArgument(OpenSslServer.CLIENT_JVM_ARGUMENT)
                    .run(HttpsClientApp.class, arguments.toArray(new String[0]));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot run the child JVM", e);
        }
        Map<String, ClientCall> calls = ClientCall.parseAll(result.stdout);
        // The first handshake to the revoked certificate asks the responder, the next ones use its cached answer.
        String revokedMessage = "mtls-agent: profile 'ocsp': revocation check: the certificate " + subject(revoked)
                + " is revoked (cached OCSP " + responder.url() + ", revoked at " + REVOKED_AT
                + ", reason keyCompromise)";
        String downMessage = "revocation status of " + subject(setup.server) + " is unknown (OCSP " + deadResponder
                + ": the responder cannot be reached: java.net.ConnectException: Connection refused";
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(dynamicTest("the application ran to its end", () -> assertEquals(0, result.exitCode,
                result.toString())));
        for (String style : List.of("urlconnection", "httpclient")) {
            tests.add(dynamicTest(style + ": good certificate accepted (JDK server, answer from the responder)",
                    () -> assertAccepted(calls, style, goodJdk, result)));
            if (style.equals("urlconnection")) {
                tests.add(dynamicTest(style + ": revoked certificate refused (JDK server, answer from the responder)",
                        () -> assertRefused(calls, style, revokedJdk, revokedMessage.replace("(cached OCSP", "(OCSP"),
                                result)));
            } else {
                tests.add(dynamicTest(style + ": revoked certificate refused (JDK server, cached answer)",
                        () -> assertRefused(calls, style, revokedJdk, revokedMessage, result)));
            }
            tests.add(dynamicTest(style + ": revoked certificate refused (openssl s_server)",
                    () -> assertRefused(calls, style, revokedOpenSsl, revokedMessage, result)));
            tests.add(dynamicTest(style + ": responder down, onUnknown fail refuses",
                    () -> assertRefused(calls, style, goodJdkResponderDown,
                            "mtls-agent: profile 'responder-down': revocation check: " + downMessage, result)));
            tests.add(dynamicTest(style + ": responder down, onUnknown allow lets through",
                    () -> assertAccepted(calls, style, goodJdkResponderDownAllowed, result)));
            tests.add(dynamicTest(style + ": stapled response decides, responder not running (TLS 1.3)",
                    () -> assertAccepted(calls, style, stapledOpenSsl, result)));
            tests.add(dynamicTest(style + ": stapled response decides, responder not running (TLS 1.2)",
                    () -> assertAccepted(calls, style, stapledOpenSslTls12, "TLSv1.2", result)));
        }
        tests.add(dynamicTest("the let-through is warned once in the log", () -> assertEquals(1,
                result.stderrLinesWith("profile 'responder-down-allowed': " + downMessage).size(),
                result.toString())));
        return tests.stream();
    }

    private static void assertAccepted(Map<String, ClientCall> calls, String style, TlsTestServer server,
            ChildJvm.Result result) {
        assertAccepted(calls, style, server, "TLSv1.3", result);
    }

    private static void assertAccepted(Map<String, ClientCall> calls, String style, TlsTestServer server,
            String protocol, ChildJvm.Result result) {
        ClientCall call = calls.get(ClientCall.key(style, server.url("localhost", "/")));
        assertNotNull(call, () -> "no result for this call: " + result.ending());
        String outcome = call.outcomeAt(server);
        assertTrue(outcome.startsWith("ok, " + new ServerReport(TestSetup.CLIENT_SUBJECT, protocol)),
                () -> call + "\n" + result);
    }

    private static void assertRefused(Map<String, ClientCall> calls, String style, TlsTestServer server,
            String message, ChildJvm.Result result) {
        ClientCall call = calls.get(ClientCall.key(style, server.url("localhost", "/")));
        assertNotNull(call, () -> "no result for this call: " + result.ending());
        assertTrue(!call.succeeded() && call.failure().contains(message),
                () -> "expected a refusal with: " + message + "\n" + call + "\n" + result);
    }

    private static String subject(TestCertificate certificate) {
        return certificate.certificate().getSubjectX500Principal().getName();
    }
}
