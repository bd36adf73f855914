package dev.mtls.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mtls.itapps.ListenerServersApp;
import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.OpenSslClient;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Listeners on unmodified servers (docs/LISTENERS.md): a child JVM runs a JDK {@code HttpsServer}
 * (an SSLEngine server) and plain {@code SSLServerSocket}s, none with any client-auth code, with the
 * agent and a file of listeners. Each server is started once per JDK and probed many times, with
 * {@code openssl s_client} (TLS 1.2 and 1.3) and a JDK client; the servers' own API reports the
 * client certificate they saw.
 */
class ListenerIT {
    private static final String BOT = "CN=bot,O=acme";

    @TempDir
    static Path pki;
    private static TestCertificate serverCa;
    private static TestCertificate appServer;
    private static TestCertificate listenerServer;
    private static TestCertificate clientCa;
    private static TestCertificate bot;
    private static TestCertificate stranger;
    private static TestCertificate impostor;
    private static Path applicationKeyStore;

    @TempDir
    Path dir;
    /** How many times this test asked its server app for the listeners' counts. */
    private int countsAsked;

    @BeforeAll
    static void makePki() {
        serverCa = TestPki.rootCa("Listener IT Server CA").create();
        appServer = serverCa.issue("app-server").serverAuth().dns("localhost").ip("127.0.0.1").create();
        listenerServer = serverCa.issue("listener-server-1").serverAuth().dns("localhost").ip("127.0.0.1").create();
        clientCa = TestPki.rootCa("Listener IT Client CA").create();
        bot = clientCa.issue("bot").subject(BOT).clientAuth().create();
        stranger = clientCa.issue("stranger").clientAuth().create();
        // Same subject as the bot, from a CA the listeners do not trust.
        impostor = TestPki.rootCa("Other CA").create().issue("bot").subject(BOT).clientAuth().create();
        applicationKeyStore = appServer.writeKeyStore(pki.resolve("app.p12"), "PKCS12", "changeit", "changeit",
                "app");
    }

    static Stream<Path> everyJdk() {
        return ChildJvm.javaExecutables();
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("everyJdk")
    void eachListenerEnforcesItsModeOnItsPortAndTheOtherServerIsUnchanged(Path java) throws Exception {
        int mandatoryHttps = freePort();
        int optionalSocket = freePort();
        int uncovered = freePort();
        int uncoveredRequiring = freePort();
        Path file = listeners(dir, mandatoryHttps, optionalSocket, "listener-server");
        listenerServer.writeChain(dir.resolve("listener-server-chain.pem"));
        TestPki.ownerOnly(listenerServer.writePkcs8Key(dir.resolve("listener-server.key")));
        try (ChildJvm.Running app = server(java, file, "https:" + mandatoryHttps, "socket:" + optionalSocket,
                "socket:" + uncovered, "need-socket:" + uncoveredRequiring)) {
            int refusedWithoutCertificate = 0;
            int letInWithoutCertificate = 0;
            for (String protocol : List.of("tls1_2", "tls1_3")) {
                // mandatory, on the HttpsServer: only the bot gets in; the listener's certificate is presented
                OpenSslClient.Result admitted = client(protocol).certificate(bot, "bot").call(mandatoryHttps, OpenSslClient.HTTP_GET);
                assertThat(admitted.answer()).as(protocol + "\n" + admitted).isEqualTo("client: " + BOT);
                assertThat(admitted.serverSubject()).contains("listener-server-1");
                assertThat(acceptableCaNames(admitted.output)).as("the certificate request names the listener's CA only")
                        .containsExactly("CN = Listener IT Client CA");
                // no certificate: refused by SunJSSE (HttpsServer sends its alert on JDK 25, closes at once on
                // JDK 17, as without the agent), and the refusal is the listener's: logged below, counted here
                assertThat(client(protocol).call(mandatoryHttps, OpenSslClient.HTTP_GET).answer()).as("no certificate")
                        .isNull();
                assertThat(counts(app, "api")).as(protocol).contains("no-certificate=" + ++refusedWithoutCertificate);
                assertThat(client(protocol).certificate(stranger, "stranger").call(mandatoryHttps, OpenSslClient.HTTP_GET)
                        .answer()).as("right CA, not on the allow list").isNull();
                assertThat(client(protocol).certificate(impostor, "impostor").call(mandatoryHttps, OpenSslClient.HTTP_GET)
                        .answer()).as("allowed subject from another CA").isNull();

                // optional, on an SSLServerSocket without its own identity: the application's certificate
                OpenSslClient.Result anonymous = client(protocol).call(optionalSocket, OpenSslClient.LINE);
                assertThat(anonymous.answer()).as(protocol + "\n" + anonymous).isEqualTo("client: none");
                assertThat(anonymous.serverSubject()).contains("app-server");
                assertThat(acceptableCaNames(anonymous.output)).containsExactly("CN = Listener IT Client CA");
                assertThat(counts(app, "socket")).as(protocol)
                        .contains("acceptedWithoutCertificate=" + ++letInWithoutCertificate);
                assertThat(client(protocol).certificate(stranger, "stranger").call(optionalSocket, OpenSslClient.LINE).answer())
                        .isEqualTo("client: CN=stranger");
                assertThat(client(protocol).certificate(impostor, "impostor").call(optionalSocket, OpenSslClient.LINE).answer())
                        .as("a certificate that is presented must be valid").isNull();

                // no listener covers this port: exactly as without the agent, no certificate asked for
                OpenSslClient.Result plain = client(protocol).certificate(bot, "bot").call(uncovered, OpenSslClient.LINE);
                assertThat(plain.answer()).as(protocol + "\n" + plain).isEqualTo("client: none");
                assertThat(plain.serverSubject()).contains("app-server");
                assertThat(plain.output).contains("No client certificate CA names sent");

                // the application's own setNeedClientAuth(true) on a port no listener covers: its own
                // CA list (the JVM's default trust), as without the agent, no listener's CA added
                OpenSslClient.Result applicationsOwn = client(protocol).call(uncoveredRequiring, OpenSslClient.LINE);
                assertThat(applicationsOwn.answer()).as("no certificate").isNull();
                assertThat(acceptableCaNames(applicationsOwn.output)).as(protocol)
                        .doesNotContain("CN = Listener IT Client CA").hasSize(defaultTrustSize(java));
            }

            assertThat(jdkCall(mandatoryHttps, bot)).isEqualTo("client: " + BOT);
            assertThrows(IOException.class, () -> jdkCall(mandatoryHttps, null));

            List<String> logged = app.stderr().lines().filter(line -> line.contains("listener 'api'"))
                    .collect(Collectors.toList());
            assertThat(logged).as("one line per listener, reason and client").hasSize(3);
            assertThat(String.join("\n", logged)).contains("(CN=stranger): not on the listener's allow list (client 127.0.0.1)",
                    "(CN=bot,O=acme): it does not chain to the listener's trust",
                    "listener 'api' is mandatory and the client sent no certificate; refused (client 127.0.0.1)");
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("everyJdk")
    void aMandatoryListenerFailsClosedWhereItCannotCheckAndNeverWeakensTheApplicationsOwnRule(Path java)
            throws Exception {
        int trustAll = freePort();
        int applicationRequires = freePort();
        int identityOnly = freePort();
        TestPki.writePem(dir.resolve("client-ca.pem"), clientCa.certificate());
        listenerServer.writeChain(dir.resolve("listener-server-chain.pem"));
        TestPki.ownerOnly(listenerServer.writePkcs8Key(dir.resolve("listener-server.key")));
        Path file = Files.write(dir.resolve("listeners.yaml"), List.of(
                "version: 1",
                "listeners:",
                "  - name: strict",
                "    ports: [" + trustAll + "]",
                "    clientAuth: mandatory",
                "    trust:",
                "      certificates: client-ca.pem",
                "  - name: relaxed",
                "    ports: [" + applicationRequires + "]",
                "    clientAuth: optional",
                "    trust:",
                "      certificates: client-ca.pem",
                "  - name: certificate-only",
                "    ports: [" + identityOnly + "]",
                "    identity:",
                "      certificate: listener-server-chain.pem",
                "      key: listener-server.key"));
        try (ChildJvm.Running app = server(java, file, "trustall-socket:" + trustAll,
                "need-socket:" + applicationRequires, "socket:" + identityOnly)) {
            for (String protocol : List.of("tls1_2", "tls1_3")) {
                // A trust-all (plain) trust manager cannot be asked per connection: mandatory refuses.
                assertThat(client(protocol).certificate(bot, "bot").call(trustAll, OpenSslClient.LINE).answer())
                        .as(protocol).isNull();

                // optional does not lower the application's own setNeedClientAuth(true); the JDK's own alert
                OpenSslClient.Result withoutCertificate = client(protocol).call(applicationRequires, OpenSslClient.LINE);
                assertThat(withoutCertificate.answer()).as(protocol).isNull();
                assertThat(withoutCertificate.output).as(withoutCertificate.toString())
                        .contains(emptyChainAlert(java, protocol));
                assertThat(client(protocol).certificate(bot, "bot").call(applicationRequires, OpenSslClient.LINE)
                        .answer()).isEqualTo("client: " + BOT);

                // clientAuth none with an identity: the listener's certificate, and no certificate asked for
                OpenSslClient.Result identity = client(protocol).certificate(bot, "bot").call(identityOnly,
                        OpenSslClient.LINE);
                assertThat(identity.answer()).as(protocol + "\n" + identity).isEqualTo("client: none");
                assertThat(identity.serverSubject()).contains("listener-server-1");
                assertThat(identity.output).contains("No client certificate CA names sent");
            }
            assertThat(app.stderr()).contains("listener 'strict' is mandatory and the server's SSLContext does not"
                    + " hold the agent's trust manager");
            assertThat(counts(app, "relaxed")).as("the application's own refusal is not the listener's")
                    .contains("acceptedWithoutCertificate=0", "refused={}");
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("everyJdk")
    void twoListenersOnTwoPortsUnderConcurrentClientsEachSeeTheirOwnRule(Path java) throws Exception {
        int mandatoryHttps = freePort();
        int optionalSocket = freePort();
        Path file = listeners(dir, mandatoryHttps, optionalSocket, null);
        try (ChildJvm.Running app = server(java, file, "https:" + mandatoryHttps, "socket:" + optionalSocket)) {
            ExecutorService threads = Executors.newFixedThreadPool(16);
            try {
                List<Future<String>> bots = new ArrayList<>();
                List<Future<String>> anonymous = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    bots.add(threads.submit(() -> jdkCall(mandatoryHttps, bot)));
                    anonymous.add(threads.submit(new SocketCall(optionalSocket)));
                }
                for (Future<String> call : bots) {
                    assertThat(call.get()).isEqualTo("client: " + BOT);
                }
                for (Future<String> call : anonymous) {
                    assertThat(call.get()).isEqualTo("client: none");
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("everyJdk")
    void rotatedServerCertificateIsPresentedAndSessionsOfTheOldOneAreNotResumed(Path java) throws Exception {
        int port = freePort();
        Path file = listeners(dir, port, freePort(), "listener-server");
        Path chain = dir.resolve("listener-server-chain.pem");
        Path key = dir.resolve("listener-server.key");
        RotatingPki.writePemInPlace(listenerServer, chain, key);
        try (ChildJvm.Running app = server(java, file, "https:" + port)) {
            for (String protocol : List.of("tls1_2", "tls1_3")) {
                TestCertificate before = serverCa.issue("rotation-" + protocol + "-before").serverAuth()
                        .dns("localhost").ip("127.0.0.1").create();
                TestCertificate after = serverCa.issue("rotation-" + protocol + "-after").serverAuth()
                        .dns("localhost").ip("127.0.0.1").create();
                RotatingPki.writePemInPlace(before, chain, key);
                awaitServerCertificate(protocol, port, "rotation-" + protocol + "-before");
                Path session = dir.resolve(protocol + ".session");
                OpenSslClient.Result first = client(protocol).certificate(bot, "bot").savingSession(session)
                        .call(port, OpenSslClient.HTTP_GET);
                assertThat(first.answer()).as(first.toString()).isEqualTo("client: " + BOT);
                OpenSslClient.Result resumed = client(protocol).certificate(bot, "bot").resuming(session)
                        .call(port, OpenSslClient.HTTP_GET);
                assertThat(resumed.resumed()).as("resumes while the certificate stays\n" + resumed).isTrue();

                RotatingPki.writePemInPlace(after, chain, key);
                awaitServerCertificate(protocol, port, "rotation-" + protocol + "-after");
                OpenSslClient.Result afterRotation = client(protocol).certificate(bot, "bot").resuming(session)
                        .call(port, OpenSslClient.HTTP_GET);
                assertThat(afterRotation.resumed()).as("the old session is not resumed\n" + afterRotation).isFalse();
                assertThat(afterRotation.serverSubject()).contains("rotation-" + protocol + "-after");
                assertThat(afterRotation.answer()).isEqualTo("client: " + BOT);
            }
        }
    }

    /** Waits for the reload (reload: 1s) to present the certificate: not a timed assertion, a bounded wait. */
    private void awaitServerCertificate(String protocol, int port, String commonName) throws InterruptedException {
        for (int attempt = 0; attempt < 60; attempt++) {
            if (client(protocol).certificate(bot, "bot").call(port, OpenSslClient.HTTP_GET).serverSubject()
                    .contains(commonName)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the server never presented " + commonName);
    }

    /**
     * The line {@code counts LISTENER accepted=N acceptedWithoutCertificate=N refused={reason=N, ...}}
     * the server app prints from the agent's MBean when asked.
     */
    private String counts(ChildJvm.Running app, String listener) throws Exception {
        app.send("counts");
        app.awaitLine("counted", ++countsAsked);
        List<String> lines = app.stdout().lines().filter(line -> line.startsWith("counts " + listener + " "))
                .collect(Collectors.toList());
        return lines.get(lines.size() - 1);
    }

    /**
     * The CA names of the server's certificate request as {@code openssl s_client} prints them
     * (also for a handshake that then fails), one per line after "Acceptable client certificate CA
     * names", up to the client certificate types (TLS 1.2) or signature algorithms (TLS 1.3).
     */
    private static List<String> acceptableCaNames(String output) {
        List<String> names = new ArrayList<>();
        boolean inSection = false;
        for (String line : output.split("\\R")) {
            if (line.equals("Acceptable client certificate CA names")) {
                inSection = true;
            } else if (inSection && (line.startsWith("Client Certificate Types") || line.startsWith("Requested ")
                    || line.startsWith("---") || line.startsWith("Peer ") || line.startsWith("Server Temp Key"))) {
                break;
            } else if (inSection) {
                names.add(line);
            }
        }
        return names;
    }

    /** How many CAs the child JDK trusts by default: its own cacerts, which SunJSSE lists in full. */
    private static int defaultTrustSize(Path java) throws Exception {
        KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
        Path file = java.toRealPath().getParent().getParent().resolve("lib/security/cacerts");
        try (InputStream in = Files.newInputStream(file)) {
            cacerts.load(in, null);
        }
        return cacerts.size();
    }

    /** What openssl prints for the alert SunJSSE sends for an empty client certificate chain. */
    private static String emptyChainAlert(Path java, String protocol) {
        if (ChildJvm.jdkName(java).equals("JDK 17")) {
            return "alert bad certificate";
        }
        return protocol.equals("tls1_3") ? "alert certificate required" : "alert handshake failure";
    }

    private OpenSslClient client(String protocol) {
        return OpenSslClient.tls(dir, protocol);
    }

    /**
     * {@code api}: mandatory on the first port, the bot only, presenting {@code identity} (when not
     * null); {@code socket}: optional on the second, any certificate from the client CA.
     */
    private static Path listeners(Path dir, int mandatoryPort, int optionalPort, String identity) {
        TestPki.writePem(dir.resolve("client-ca.pem"), clientCa.certificate());
        List<String> lines = new ArrayList<>(List.of(
                "version: 1",
                "reload: 1s",
                "listeners:",
                "  - name: api",
                "    ports: [" + mandatoryPort + "]",
                "    clientAuth: mandatory",
                "    trust:",
                "      certificates: client-ca.pem",
                "    allow:",
                "      - subject: \"cn=bot, o=acme\""));
        if (identity != null) {
            lines.addAll(List.of(
                    "    identity:",
                    "      certificate: " + identity + "-chain.pem",
                    "      key: " + identity + ".key"));
        }
        lines.addAll(List.of(
                "  - name: socket",
                "    ports: [" + optionalPort + "]",
                "    clientAuth: optional",
                "    trust:",
                "      certificates: client-ca.pem"));
        try {
            return Files.write(dir.resolve("listeners.yaml"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ChildJvm.Running server(Path java, Path file, String... servers) throws Exception {
        ChildJvm.Running app = ChildJvm.on(java).agent("profiles=" + file)
                .jvmArgument("-Ditapp.keyStore=" + applicationKeyStore).start(ListenerServersApp.class, servers);
        app.awaitLine("listening", 1);
        return app;
    }

    /** A port nothing listens on now, for the profile file written before the server starts. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A JDK client in the test JVM (no agent): {@code certificate}'s own key store, or none. */
    private static String jdkCall(int port, TestCertificate certificate) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
        if (certificate != null) {
            keys.init(certificate.keyStore("PKCS12", "pass", "client"), "pass".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(TestPki.trustStore("PKCS12", serverCa.certificate()));
        context.init(certificate == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        HttpsURLConnection connection = (HttpsURLConnection) new URL("https://localhost:" + port + "/").openConnection();
        connection.setSSLSocketFactory(context.getSocketFactory());
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    /** The JDK client without a certificate against the socket server. */
    private static final class SocketCall implements Callable<String> {
        private final int port;

        SocketCall(int port) {
            this.port = port;
        }

        @Override
        public String call() throws Exception {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(TestPki.trustStore("PKCS12", serverCa.certificate()));
            context.init(null, trust.getTrustManagers(), null);
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                    .createSocket("localhost", port)) {
                socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            }
        }
    }
}
