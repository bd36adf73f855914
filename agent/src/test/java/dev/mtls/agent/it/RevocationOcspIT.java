package dev.mtls.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mtls.itapps.HttpsClientApp;
import dev.mtls.itapps.WaitingClientApp;
import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.OpenSslCa;
import dev.mtls.testing.OpenSslOcspResponder;
import dev.mtls.testing.OpenSslServer;
import dev.mtls.testing.ServerReport;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TlsTestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation by OCSP in an unmodified application, with a CA run by {@code openssl ca} (its index
 * file; {@code -revoke} revokes a server certificate) and a real responder ({@code openssl ocsp
 * -index} on that index, on loopback, signing with the CA's key), and real servers (a JDK
 * {@code HttpsServer} and {@code openssl s_server}): a revoked server certificate is refused with
 * the message naming the profile, the responder and the reason; a good one is accepted; a stapled
 * response ({@code s_server -status_file}, TLS 1.3 and 1.2) decides without the responder, which
 * for that profile is not even running. One child JVM per JDK calls every server. Then a responder
 * that answered is stopped while the client runs: a certificate whose answer is cached still
 * passes, one whose answer is not is refused under {@code onUnknown: fail} and let through with a
 * warning under {@code allow}.
 */
class RevocationOcspIT {
    private static final String WAITING_STYLE = "init-null-keymanager";

    @TempDir
    static Path directory;
    private static TestSetup setup;
    private static OpenSslCa ca;
    private static TestCertificate good;
    private static TestCertificate revoked;
    private static OpenSslOcspResponder responder;
    private static final StartedServers STARTED = new StartedServers();
    /** The servers of the first child JVM, which calls each once. */
    private static final List<TlsTestServer> CALLED_ONCE = new ArrayList<>();
    private static TlsTestServer goodJdk;
    private static TlsTestServer revokedJdk;
    private static TlsTestServer revokedOpenSsl;
    private static TlsTestServer stapledOpenSsl;
    private static TlsTestServer stapledOpenSslTls12;
    /** Called while the responder runs, and again after it stopped (its answer cached). */
    private static TlsTestServer answeredBeforeStop;
    /** Called only after the responder stopped, each with a certificate of its own (no answer cached). */
    private static TlsTestServer afterStopFail;
    private static TlsTestServer afterStopAllow;
    private static String deadResponder;
    private static Path profiles;

    @BeforeAll
    static void start() throws Exception {
        setup = new TestSetup(directory);
        ca = OpenSslCa.create(directory.resolve("openssl-ca"), "mtls-agent OCSP IT CA");
        good = ca.issueServer("good-backend", "localhost", "127.0.0.1");
        revoked = ca.issueServer("revoked-backend", "localhost", "127.0.0.1");
        ca.revoke(revoked, "keyCompromise");
        responder = OpenSslOcspResponder.of(ca).start(60);
        Path staple = responder.writeResponse(good, directory.resolve("staple.der"), 60);
        goodJdk = calledOnce(JdkTlsServer.requiringClientCertificate(good, setup.ca));
        revokedJdk = calledOnce(JdkTlsServer.requiringClientCertificate(revoked, setup.ca));
        revokedOpenSsl = calledOnce(OpenSslServer.requiringClientCertificate(directory, revoked, setup.ca));
        stapledOpenSsl = calledOnce(OpenSslServer.requiringClientCertificate(directory, good, setup.ca,
                "-status_file", staple.toString()));
        stapledOpenSslTls12 = calledOnce(OpenSslServer.requiringClientCertificate(directory, good, setup.ca,
                "-status_file", staple.toString(), "-tls1_2"));
        answeredBeforeStop = STARTED.add(JdkTlsServer.requiringClientCertificate(
                ca.issueServer("answered-backend", "localhost", "127.0.0.1"), setup.ca));
        afterStopFail = STARTED.add(JdkTlsServer.requiringClientCertificate(
                ca.issueServer("unanswered-backend", "localhost", "127.0.0.1"), setup.ca));
        afterStopAllow = STARTED.add(JdkTlsServer.requiringClientCertificate(
                ca.issueServer("unanswered-allowed-backend", "localhost", "127.0.0.1"), setup.ca));
        try (ServerSocket closed = new ServerSocket(0)) {
            deadResponder = "http://127.0.0.1:" + closed.getLocalPort();
        }
        List<String> lines = new ArrayList<>(List.of("version: 1", "profiles:"));
        lines.addAll(profile("ocsp", responder.url(), "fail", goodJdk, revokedJdk, revokedOpenSsl));
        lines.addAll(profile("stapled", deadResponder, "fail", stapledOpenSsl, stapledOpenSslTls12));
        profiles = Files.write(directory.resolve("ocsp.yaml"), lines);
    }

    private static TlsTestServer calledOnce(TlsTestServer server) {
        CALLED_ONCE.add(STARTED.add(server));
        return server;
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
                "      certificate: " + directory.resolve("client-chain.pem"),
                "      key: " + directory.resolve("client.key"),
                "    trust:",
                "      certificates: " + ca.certificateFile(),
                "      revocation:",
                "        ocsp: true",
                "        ocspResponder: " + responderUrl,
                "        onUnknown: " + onUnknown);
    }

    @AfterAll
    static void stop() {
        STARTED.close();
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
        for (TlsTestServer server : CALLED_ONCE) {
            arguments.add(server.url("localhost", "/"));
        }
        ChildJvm.Result result;
        try {
            result = client(java, profiles).run(HttpsClientApp.class, arguments.toArray(new String[0]));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot run the child JVM", e);
        }
        Map<String, ClientCall> calls = ClientCall.parseAll(result.stdout);
        // The first handshake to the revoked certificate asks the responder, the next ones use its cached answer.
        String revokedMessage = Pattern.quote("mtls-agent: profile 'ocsp': revocation check: the certificate "
                + subject(revoked) + " is revoked (cached OCSP " + responder.url() + ", revoked at ")
                + "\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z" + Pattern.quote(", reason keyCompromise)");
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
            tests.add(dynamicTest(style + ": stapled response decides, responder not running (TLS 1.3)",
                    () -> assertAccepted(calls, style, stapledOpenSsl, result)));
            tests.add(dynamicTest(style + ": stapled response decides, responder not running (TLS 1.2)",
                    () -> assertAccepted(calls, style, stapledOpenSslTls12, "TLSv1.2", result)));
        }
        return tests.stream();
    }

    /**
     * Per JDK, a responder of its own answers the first call, is stopped, and the client, still
     * running, calls again: the answered certificate from the cache, two others that were never
     * answered under {@code onUnknown: fail} and {@code allow}.
     */
    @TestFactory
    Stream<DynamicContainer> decidesByOnUnknownOnceTheResponderStopped() {
        return ChildJvm.javaExecutables().map(java -> dynamicContainer(ChildJvm.jdkName(java),
                Stream.of(java).flatMap(unused -> stoppedResponderCases(java))));
    }

    private static Stream<DynamicTest> stoppedResponderCases(Path java) {
        String before = answeredBeforeStop.url("localhost", "/before-stop");
        String again = answeredBeforeStop.url("localhost", "/after-stop");
        String refused = afterStopFail.url("localhost", "/after-stop");
        String allowed = afterStopAllow.url("localhost", "/after-stop");
        ChildJvm.Result result;
        String stopped;
        try (OpenSslOcspResponder stopping = OpenSslOcspResponder.of(ca).start(60)) {
            stopped = stopping.url();
            Path folder = Files.createTempDirectory(directory, "stopped-");
            List<String> lines = new ArrayList<>(List.of("version: 1", "profiles:"));
            lines.addAll(profile("stopped", stopped, "fail", answeredBeforeStop, afterStopFail));
            lines.addAll(profile("stopped-allowed", stopped, "allow", afterStopAllow));
            Path file = Files.write(folder.resolve("stopped.yaml"), lines);
            try (ChildJvm.Running app = client(java, file).start(WaitingClientApp.class)) {
                app.awaitLine("ready", 1);
                app.send(before);
                app.awaitLine("done", 1);
                stopping.close();
                app.send(refused);
                app.awaitLine("done", 2);
                app.send(allowed);
                app.awaitLine("done", 3);
                app.send(again);
                app.awaitLine("done", 4);
                app.send("");
                result = app.finish();
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot run the child JVM", e);
        }
        Map<String, ClientCall> calls = ClientCall.parseAll(result.stdout);
        String unknown = "revocation status of CN=%s is unknown (OCSP " + stopped
                + ": the responder cannot be reached: java.net.ConnectException: Connection refused";
        return Stream.of(
                dynamicTest("the application ran to its end", () -> assertEquals(0, result.exitCode,
                        result.toString())),
                dynamicTest("answered while the responder ran: accepted",
                        () -> assertAccepted(calls, WAITING_STYLE, before, answeredBeforeStop, "TLSv1.3", result)),
                dynamicTest("responder stopped, no answer cached, onUnknown fail refuses",
                        () -> assertRefused(calls, WAITING_STYLE, refused,
                                Pattern.quote("mtls-agent: profile 'stopped': revocation check: "
                                        + String.format(unknown, "unanswered-backend")), result)),
                dynamicTest("responder stopped, no answer cached, onUnknown allow lets through",
                        () -> assertAccepted(calls, WAITING_STYLE, allowed, afterStopAllow, "TLSv1.3", result)),
                dynamicTest("the let-through is warned once in the log", () -> assertEquals(1,
                        result.stderrLinesWith("profile 'stopped-allowed': "
                                + String.format(unknown, "unanswered-allowed-backend")).size(), result.toString())),
                dynamicTest("responder stopped, the answer cached before: accepted",
                        () -> assertAccepted(calls, WAITING_STYLE, again, answeredBeforeStop, "TLSv1.3", result)));
    }

    private static ChildJvm client(Path java, Path profileFile) {
        // The JDK asks for stapled responses by default (17 and 25); said here as an operator would.
        return setup.trustingClient(ChildJvm.on(java)).agent("profiles=" + profileFile)
                .jvmArgument("-Djdk.tls.client.enableStatusRequestExtension=true")
                .jvmArgument(OpenSslServer.CLIENT_JVM_ARGUMENT);
    }

    private static void assertAccepted(Map<String, ClientCall> calls, String style, TlsTestServer server,
            ChildJvm.Result result) {
        assertAccepted(calls, style, server, "TLSv1.3", result);
    }

    private static void assertAccepted(Map<String, ClientCall> calls, String style, TlsTestServer server,
            String protocol, ChildJvm.Result result) {
        assertAccepted(calls, style, server.url("localhost", "/"), server, protocol, result);
    }

    private static void assertAccepted(Map<String, ClientCall> calls, String style, String url, TlsTestServer server,
            String protocol, ChildJvm.Result result) {
        ClientCall call = calls.get(ClientCall.key(style, url));
        assertNotNull(call, () -> "no result for this call: " + result.ending());
        String outcome = call.outcomeAt(server);
        assertTrue(outcome.startsWith("ok, " + new ServerReport(TestSetup.CLIENT_SUBJECT, protocol)),
                () -> call + "\n" + result);
    }

    private static void assertRefused(Map<String, ClientCall> calls, String style, TlsTestServer server,
            String message, ChildJvm.Result result) {
        assertRefused(calls, style, server.url("localhost", "/"), message, result);
    }

    /** @param message a regular expression the failure must contain */
    private static void assertRefused(Map<String, ClientCall> calls, String style, String url,
            String message, ChildJvm.Result result) {
        ClientCall call = calls.get(ClientCall.key(style, url));
        assertNotNull(call, () -> "no result for this call: " + result.ending());
        assertTrue(!call.succeeded() && Pattern.compile(message).matcher(call.failure()).find(),
                () -> "expected a refusal with: " + message + "\n" + call + "\n" + result);
    }

    private static String subject(TestCertificate certificate) {
        return certificate.certificate().getSubjectX500Principal().getName();
    }
}
