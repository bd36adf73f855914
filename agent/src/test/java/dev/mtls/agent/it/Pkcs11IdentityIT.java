package dev.mtls.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtls.itapps.HttpsClientApp;
import dev.mtls.itapps.ListenerServersApp;
import dev.mtls.itapps.WaitingClientApp;
import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.OpenSslClient;
import dev.mtls.testing.OpenSslServer;
import dev.mtls.testing.ServerReport;
import dev.mtls.testing.SoftHsmToken;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import dev.mtls.testing.TlsTestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Identities whose key stays in a SoftHSM2 token, in an unmodified application under the agent:
 * the token's RSA and EC certificates presented to {@code openssl s_server -Verify 1} and to a JDK
 * server, TLS 1.2 and 1.3; a listener serving its certificate from the token; a new certificate
 * imported under the label while the application runs; a key deleted from the token while the
 * application runs failing its profile closed at the next reload; a wrong PIN and a missing label failing
 * their hosts closed with the message; {@code check} and {@code probe} naming the token. Every
 * server is started once; each JDK runs one child JVM per case. Skipped where SoftHSM2 and OpenSC
 * are not installed.
 */
class Pkcs11IdentityIT {
    private static final String PIN = "it-token-pin-5093";
    private static final String STYLE = "httpclient";
    private static final AtomicInteger RENEWALS = new AtomicInteger();
    private static final AtomicInteger DOOMED = new AtomicInteger();

    @TempDir
    static Path directory;
    private static TestSetup setup;
    private static SoftHsmToken token;
    private static SoftHsmToken otherToken;
    private static TestCertificate rsa;
    private static TestCertificate ec;
    private static TestCertificate rotating;
    private static TestCertificate listenerServer;
    private static final List<TlsTestServer> SERVERS = new ArrayList<>();
    /** Each requiring server by its label: JDK and OpenSSL, TLS 1.2 and 1.3. */
    private static final Map<String, TlsTestServer> REQUIRING = new LinkedHashMap<>();
    /** Only asks for a certificate: a profile the agent dropped would connect here without one. */
    private static TlsTestServer asking;
    private static Path profiles;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(SoftHsmToken.available(), "SoftHSM2 and OpenSC (pkcs11-tool) are not installed");
        setup = new TestSetup(directory);
        rsa = TestPki.issuedBy(setup.ca, "token-rsa").subject("CN=token-rsa,O=mtls-agent")
                .keyType(TestPki.KeyType.RSA).clientAuth().create();
        ec = TestPki.issuedBy(setup.ca, "token-ec").subject("CN=token-ec,O=mtls-agent").clientAuth().create();
        rotating = TestPki.issuedBy(setup.ca, "token-rotating-0").clientAuth().create();
        listenerServer = TestPki.issuedBy(setup.ca, "token-listener").dns("localhost").ip("127.0.0.1").serverAuth()
                .create();
        token = SoftHsmToken.create(directory, "mtls-it", PIN).importIdentity("bot-rsa", "01", rsa)
                .importIdentity("bot-ec", "02", ec).importIdentity("rotating", "03", rotating)
                .importIdentity("listener", "04", listenerServer);
        // Logged in to by no good profile: SunPKCS11 keeps a token's login, so a wrong PIN shows only on a first login.
        otherToken = SoftHsmToken.create(directory, "mtls-it-other", PIN).importIdentity("bot-ec", "02", ec);

        REQUIRING.put("JDK TLS 1.3", started(JdkTlsServer.requiring(setup.server, setup.ca).protocols("TLSv1.3")
                .start()));
        REQUIRING.put("JDK TLS 1.2", started(JdkTlsServer.requiring(setup.server, setup.ca).protocols("TLSv1.2")
                .start()));
        REQUIRING.put("OpenSSL TLS 1.3", started(OpenSslServer.requiringClientCertificate(directory, setup.server,
                setup.ca, "-tls1_3")));
        REQUIRING.put("OpenSSL TLS 1.2", started(OpenSslServer.requiringClientCertificate(directory, setup.server,
                setup.ca, "-tls1_2")));
        asking = started(JdkTlsServer.askingForClientCertificate(setup.server, setup.ca));

        List<String> rsaHosts = new ArrayList<>();
        List<String> ecHosts = new ArrayList<>();
        for (TlsTestServer server : REQUIRING.values()) {
            rsaHosts.add("localhost:" + server.port());
            ecHosts.add("127.0.0.1:" + server.port());
        }
        profiles = Files.write(directory.resolve("token-profiles.yaml"), List.of(
                "version: 1",
                "profiles:",
                "  - name: token-rsa",
                "    hosts: [" + String.join(", ", rsaHosts) + "]",
                "    identity:",
                "      pkcs11: {library: " + SoftHsmToken.library() + ", token: mtls-it, pin: '${env:HSM_PIN}',"
                        + " key: bot-rsa}",
                "  - name: token-ec",
                "    hosts: [" + String.join(", ", ecHosts) + "]",
                "    identity:",
                "      pkcs11: {library: " + SoftHsmToken.library() + ", slot: " + token.slot() + ","
                        + " pin: '${env:HSM_PIN}', key: bot-ec}",
                "  - name: wrong-pin",
                "    hosts: [localhost:" + asking.port() + "]",
                "    identity:",
                "      pkcs11: {library: " + SoftHsmToken.library() + ", token: mtls-it-other, pin: not-the-pin,"
                        + " key: bot-ec}",
                "  - name: no-such-key",
                "    hosts: [127.0.0.1:" + asking.port() + "]",
                "    identity:",
                "      pkcs11: {library: " + SoftHsmToken.library() + ", token: mtls-it, pin: '${env:HSM_PIN}',"
                        + " key: bot-gone}"));
    }

    private static TlsTestServer started(TlsTestServer server) {
        SERVERS.add(server);
        return server;
    }

    @AfterAll
    static void stop() {
        SERVERS.forEach(TlsTestServer::close);
    }

    static Stream<Path> everyJdk() {
        return ChildJvm.javaExecutables();
    }

    private static ChildJvm child(Path java) {
        return setup.trustingClient(ChildJvm.on(java)).environment("HSM_PIN", PIN)
                .environment("SOFTHSM2_CONF", token.config().toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("everyJdk")
    void everyServerReceivesTheTokensCertificateAndBadTokensFailClosed(Path java) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(STYLE));
        for (TlsTestServer server : REQUIRING.values()) {
            arguments.add(server.url("localhost", "/"));
            arguments.add(server.url("127.0.0.1", "/"));
        }
        arguments.add(asking.url("localhost", "/"));
        arguments.add(asking.url("127.0.0.1", "/"));
        ChildJvm.Result result = child(java).agent("profiles=" + profiles)
                .jvmArgument(OpenSslServer.CLIENT_JVM_ARGUMENT).run(HttpsClientApp.class, arguments.toArray(new String[0]));
        assertEquals(0, result.exitCode, result.toString());
        Map<String, ClientCall> calls = ClientCall.parseAll(result.stdout);
        for (Map.Entry<String, TlsTestServer> server : REQUIRING.entrySet()) {
            assertPresented(calls, server.getValue(), "localhost", rsa, server.getKey() + ", RSA key", result);
            assertPresented(calls, server.getValue(), "127.0.0.1", ec, server.getKey() + ", EC key", result);
        }
        ClientCall wrongPin = calls.get(ClientCall.key(STYLE, asking.url("localhost", "/")));
        assertNotNull(wrongPin, result.toString());
        assertNotNull(wrongPin.failure(), () -> "a wrong PIN must fail closed, not connect without a certificate: "
                + wrongPin);
        assertTrue(wrongPin.failure().contains("profile 'wrong-pin'") && wrongPin.failure().contains(
                "pkcs11 token 'mtls-it-other' key 'bot-ec'") && wrongPin.failure().contains("wrong PIN"),
                wrongPin::toString);
        ClientCall missingKey = calls.get(ClientCall.key(STYLE, asking.url("127.0.0.1", "/")));
        assertNotNull(missingKey.failure(), missingKey::toString);
        assertTrue(missingKey.failure().contains("profile 'no-such-key'") && missingKey.failure().contains(
                "no private key with a certificate under label 'bot-gone'"), missingKey::toString);
        assertFalse(result.stderr.contains(PIN) || result.stdout.contains(PIN), result.toString());
        assertFalse(result.stderr.contains("not-the-pin") || result.stdout.contains("not-the-pin"), result.toString());
    }

    private static void assertPresented(Map<String, ClientCall> calls, TlsTestServer server, String host,
            TestCertificate expected, String what, ChildJvm.Result result) {
        ClientCall call = calls.get(ClientCall.key(STYLE, server.url(host, "/")));
        assertNotNull(call, () -> what + ": no call: " + result);
        assertTrue(call.succeeded(), () -> what + ": " + call + "\n" + result.stderr);
        ServerReport report = server.report(call.body());
        assertNotNull(report, () -> what + ": " + call);
        assertEquals(expected.certificate().getSubjectX500Principal().getName(), report.clientSubject,
                () -> what + ": " + call);
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("everyJdk")
    void checkAndProbeNameTheTokenAndLabel(Path java) throws Exception {
        ChildJvm.Result check = child(java).runAgentJar(directory, "check", profiles.toString());
        assertTrue(check.stdout.contains("in pkcs11 token 'mtls-it' key 'bot-rsa'"), check.toString());
        assertTrue(check.stdout.contains("in pkcs11 slot " + token.slot() + " key 'bot-ec'"), check.toString());
        assertTrue(check.stderr.contains("profile 'wrong-pin': pkcs11 token 'mtls-it-other' key 'bot-ec' (library "
                + SoftHsmToken.library() + "): wrong PIN (the token refused the login)"), check.toString());
        assertFalse(check.stdout.contains(PIN) || check.stderr.contains(PIN), check.toString());

        TlsTestServer tls13 = REQUIRING.get("JDK TLS 1.3");
        ChildJvm.Result probe = child(java).runAgentJar(directory, "probe", profiles.toString(),
                "localhost:" + tls13.port());
        assertEquals(0, probe.exitCode, probe.toString());
        assertTrue(probe.stdout.contains("  cert sent         CN=token-rsa,O=mtls-agent (issuer "), probe.toString());
        assertTrue(probe.stdout.contains("  server accepted   yes"), probe.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("everyJdk")
    void aListenerServesItsCertificateFromTheToken(Path java) throws Exception {
        int port = freePort();
        Path file = Files.write(directory.resolve("token-listener-" + port + ".yaml"), List.of(
                "version: 1",
                "listeners:",
                "  - name: token-served",
                "    ports: [" + port + "]",
                "    identity:",
                "      pkcs11: {library: " + SoftHsmToken.library() + ", token: mtls-it, pin: '${env:HSM_PIN}',"
                        + " key: listener}"));
        Path applicationKeyStore = setup.server.writeKeyStore(directory.resolve("app-" + port + ".p12"), "PKCS12",
                "changeit", "changeit", "app");
        try (ChildJvm.Running app = child(java).agent("profiles=" + file)
                .jvmArgument("-Ditapp.keyStore=" + applicationKeyStore).start(ListenerServersApp.class,
                        "socket:" + port)) {
            app.awaitLine("listening", 1);
            for (String protocol : List.of("tls1_2", "tls1_3")) {
                OpenSslClient.Result served = OpenSslClient.tls(directory, protocol).call(port, OpenSslClient.LINE);
                assertEquals("client: none", served.answer(), () -> protocol + "\n" + served);
                assertTrue(served.serverSubject().contains("token-listener"), () -> protocol + "\n" + served);
            }
            assertFalse(app.stderr().contains(PIN), app.stderr());
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("everyJdk")
    void aCertificateImportedUnderTheLabelIsPresentedAfterTheNextReload(Path java) throws Exception {
        TlsTestServer server = REQUIRING.get("JDK TLS 1.3");
        Path file = oneTokenProfile("token-rotation.yaml", "rotating", server, "rotating");
        String url = server.url("localhost", "/");
        try (ChildJvm.Running app = child(java).agent("profiles=" + file + ",reload=1s")
                .start(WaitingClientApp.class)) {
            app.awaitLine("ready", 1);
            String before = call(app, server, url, 1);
            TestCertificate renewed = TestPki.issuedBy(setup.ca, "token-rotating-" + RENEWALS.incrementAndGet())
                    .keyPair(rotating.keyPair()).clientAuth().create();
            assertFalse(before.equals(subject(renewed)), before);
            token.replaceCertificate("rotating", "03", renewed.certificate());
            String seen = before;
            // Calls keep going while the agent's next tick reads the token; 120 calls is far past a 1 s interval.
            for (int i = 2; i < 120 && !seen.equals(subject(renewed)); i++) {
                seen = call(app, server, url, i);
            }
            assertEquals(subject(renewed), seen, app.stderr());
            assertTrue(app.stderr().contains("mtls-agent: reloaded "), app.stderr());
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("everyJdk")
    void aKeyGoneFromTheTokenFailsItsProfileClosedAtTheNextReload(Path java) throws Exception {
        TlsTestServer server = REQUIRING.get("JDK TLS 1.3");
        // A key of its own per JDK: this case deletes it.
        int run = DOOMED.incrementAndGet();
        String label = "doomed-" + run;
        TestCertificate doomed = TestPki.issuedBy(setup.ca, label).clientAuth().create();
        token.importIdentity(label, "1" + run, doomed);
        Path file = oneTokenProfile("token-gone-" + run + ".yaml", "doomed", server, label);
        String url = server.url("localhost", "/");
        try (ChildJvm.Running app = child(java).agent("profiles=" + file + ",reload=1s")
                .start(WaitingClientApp.class)) {
            app.awaitLine("ready", 1);
            assertEquals(subject(doomed), call(app, server, url, 1));
            token.deleteKey(label);
            app.awaitStderr("its previous version is not kept: its token identity no longer signs: pkcs11 token"
                    + " 'mtls-it' key '" + label + "'", 1);
            ClientCall failed = lastCall(app, url, 2);
            assertNotNull(failed.failure(), () -> "a key gone must fail closed, not connect without a certificate: "
                    + failed + "\n" + stderr(app));
            assertTrue(failed.failure().contains("profile 'doomed'") && failed.failure().contains(
                    "no private key with a certificate under label '" + label + "'"), () -> failed + "\n" + stderr(app));
            assertFalse(app.stderr().contains(PIN) || app.stdout().contains(PIN), app.stderr());
        }
    }

    /**
     * A PKCS#11 module whose every function blocks for good (a hung HSM), built at test time; a
     * profile naming it must fail closed within the agent's time bound, and the application's call
     * must return. Skipped without a C compiler.
     */
    @ParameterizedTest(name = "on {0}")
    @MethodSource("everyJdk")
    void aTokenThatNeverAnswersFailsItsProfileClosedWithoutHangingTheApplication(Path java) throws Exception {
        Path hanging = hangingModule();
        assumeTrue(hanging != null, "no C compiler (cc) to build the hanging PKCS#11 module");
        Path file = Files.write(directory.resolve("token-hanging.yaml"), List.of(
                "version: 1",
                "profiles:",
                "  - name: hung",
                "    hosts: [localhost:" + asking.port() + "]",
                "    identity:",
                "      pkcs11: {library: " + hanging + ", slot: 0, pin: '${env:HSM_PIN}', key: bot-ec}"));
        String url = asking.url("localhost", "/");
        ChildJvm.Result result = child(java).agent("profiles=" + file).run(HttpsClientApp.class, STYLE, url);
        assertEquals(0, result.exitCode, result.toString());
        ClientCall call = ClientCall.parseAll(result.stdout).get(ClientCall.key(STYLE, url));
        assertNotNull(call, result.toString());
        assertNotNull(call.failure(), () -> "must fail closed, not connect without a certificate: " + call);
        assertTrue(call.failure().contains("profile 'hung'") && call.failure().contains(
                "the token did not answer within 3 s"), call::toString);
    }

    /** The module, built once into the test folder; null when there is no C compiler. */
    private static synchronized Path hangingModule() throws Exception {
        Path module = directory.resolve("libhanging-pkcs11.so");
        if (Files.exists(module)) {
            return module;
        }
        Path source = Files.writeString(directory.resolve("hanging-pkcs11.c"), String.join("\n",
                "#include <unistd.h>",
                "typedef unsigned long CK_RV;",
                "typedef CK_RV (*function)(void);",
                "static CK_RV hang(void) { for (;;) pause(); return 0; }",
                "/* CK_FUNCTION_LIST: a version, then the 68 functions of PKCS#11 2.20, every one hanging. */",
                "static struct { unsigned char major, minor; function f[68]; } list;",
                "CK_RV C_GetFunctionList(void **out) {",
                "    list.major = 2; list.minor = 20;",
                "    for (int i = 0; i < 68; i++) list.f[i] = hang;",
                "    *out = &list;",
                "    return 0;",
                "}", ""));
        try {
            Process cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-o", module.toString(), source.toString())
                    .redirectErrorStream(true).start();
            String output = new String(cc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!cc.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || cc.exitValue() != 0) {
                throw new AssertionError("cc failed: " + output);
            }
        } catch (IOException noCompiler) {
            return null;
        }
        return module;
    }

    /** A profile file with one profile presenting the key under {@code label} on token mtls-it to {@code server}. */
    private static Path oneTokenProfile(String fileName, String profile, TlsTestServer server, String label)
            throws IOException {
        return Files.write(directory.resolve(fileName), List.of(
                "version: 1",
                "profiles:",
                "  - name: " + profile,
                "    hosts: [localhost:" + server.port() + "]",
                "    identity:",
                "      pkcs11: {library: " + SoftHsmToken.library() + ", token: mtls-it, pin: '${env:HSM_PIN}',"
                        + " key: " + label + "}"));
    }

    private static String subject(TestCertificate certificate) {
        return certificate.certificate().getSubjectX500Principal().getName();
    }

    /** One call through the waiting application; the subject the server received. */
    private static String call(ChildJvm.Running app, TlsTestServer server, String url, int count) throws Exception {
        ClientCall last = lastCall(app, url, count);
        assertTrue(last.succeeded(), () -> last + "\n" + stderr(app));
        return server.report(last.body()).clientSubject;
    }

    /** One call through the waiting application, as the application saw it. */
    private static ClientCall lastCall(ChildJvm.Running app, String url, int count) throws Exception {
        app.send(url);
        app.awaitLine("done", count);
        List<ClientCall> calls = new ArrayList<>(ClientCall.parseAll(lastResult(app.stdout())).values());
        return calls.get(calls.size() - 1);
    }

    private static String lastResult(String stdout) {
        String[] lines = stdout.split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith("result\t")) {
                return lines[i];
            }
        }
        return "";
    }

    private static String stderr(ChildJvm.Running app) {
        try {
            return app.stderr();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
