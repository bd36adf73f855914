package dev.mtls.examples.matrix;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.examples.clients.NettyOpenSslServerApp;
import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.OpenSslClient;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Netty server on the OpenSSL (BoringSSL) engine, written with no client-auth code
 * ({@link NettyOpenSslServerApp}), started with the agent and a listener rule. Under a mandatory
 * listener without ports it asks for client certificates, admits only the listener's CA and
 * allow-list, and presents the listener's certificate, for {@code openssl s_client} and a JDK
 * client, TLS 1.2 and 1.3. Under a mandatory listener with ports, which cannot be applied to it,
 * it refuses every handshake and the log says why and how to fix it. Under an optional listener
 * a client without a certificate gets in, and a replaced server certificate is presented after the
 * reload. Without listeners the server is untouched. The same application on {@code SslProvider.JDK}
 * is left to the SunJSSE hooks and gets the same rule from them. One server per JDK and case,
 * probed many times.
 */
class NettyOpenSslServerIT {
    private static final String BOT = "CN=bot-client,O=mtls-agent matrix";
    private static final String OTHER = "CN=other-client,O=mtls-agent matrix";
    private static final String STRANGER = "CN=stranger,O=elsewhere";
    private static final String LISTENER_SERVER = "CN=listener-server,O=mtls-agent matrix";
    private static final String ROTATED_SERVER = "CN=rotated-server,O=mtls-agent matrix";
    /** How long to wait for a reload to show: a generous bound for a loaded machine, not a measured target. */
    private static final long PATIENCE_MILLIS = 60_000;

    @TempDir
    static Path directory;
    private static TestCertificate listenerCa;
    private static TestCertificate bot;
    private static TestCertificate other;
    private static TestCertificate stranger;
    private static TestCertificate application;

    @BeforeAll
    static void pki() {
        listenerCa = TestPki.rootCa("Listener CA").ca().create();
        bot = listenerCa.issue("bot").subject(BOT).clientAuth().create();
        other = listenerCa.issue("other").subject(OTHER).clientAuth().create();
        stranger = TestPki.rootCa("Stranger CA").ca().create().issue("stranger").subject(STRANGER).clientAuth()
                .create();
        listenerCa.writeCertificate(directory.resolve("listener-ca.pem"));
        bot.writeChain(directory.resolve("bot-chain.pem"));
        TestPki.ownerOnly(bot.writePkcs8Key(directory.resolve("bot.key")));
        TestCertificate listenerServer = listenerCa.issue("listener-server").subject(LISTENER_SERVER).serverAuth()
                .dns("localhost").create();
        listenerServer.writeChain(directory.resolve("listener-server-chain.pem"));
        TestPki.ownerOnly(listenerServer.writePkcs8Key(directory.resolve("listener-server.key")));
        application = TestPki.rootCa("Application CA").ca().create().issueLocalhostServer();
        application.writeChain(directory.resolve("application-chain.pem"));
        TestPki.ownerOnly(application.writePkcs8Key(directory.resolve("application.key")));
    }

    static List<Jdk> jdks() {
        return Jdk.installed();
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void portlessMandatoryListenerAdmitsOnlyItsAllowListAndPresentsItsCertificate(Jdk jdk) throws Exception {
        Path profiles = profiles(jdk, "portless", "");
        try (ChildJvm.Running server = start(jdk, profiles, "")) {
            int port = port(profiles);
            OpenSslClient.Result anonymous13 = OpenSslClient.tls(directory, "tls1_3").call(port, OpenSslClient.LINE);
            OpenSslClient.Result anonymous12 = OpenSslClient.tls(directory, "tls1_2").call(port, OpenSslClient.LINE);
            OpenSslClient.Result bot13 = OpenSslClient.tls(directory, "tls1_3").certificate(bot, "bot")
                    .call(port, OpenSslClient.LINE);
            OpenSslClient.Result bot12 = OpenSslClient.tls(directory, "tls1_2").certificate(bot, "bot")
                    .call(port, OpenSslClient.LINE);
            OpenSslClient.Result stranger13 = OpenSslClient.tls(directory, "tls1_3").certificate(stranger, "stranger")
                    .call(port, OpenSslClient.LINE);
            OpenSslClient.Result other12 = OpenSslClient.tls(directory, "tls1_2").certificate(other, "other")
                    .call(port, OpenSslClient.LINE);
            String jdkBot = jdkClient(port, bot);
            String jdkAnonymous = jdkClient(port, null);
            String jdkOther = jdkClient(port, other);
            String stderr = server.stderr();
            String stdout = server.stdout();
            assertAll("server stdout:\n" + stdout + "\nserver stderr:\n" + stderr,
                    () -> assertTrue(stdout.contains("INFO context io.netty.handler.ssl.ReferenceCountedOpenSslServerContext")
                            || stdout.contains("INFO context io.netty.handler.ssl.OpenSslServerContext"),
                            "the server runs on OpenSSL"),
                    () -> assertNull(anonymous13.answer(), "TLS 1.3 without a certificate:\n" + anonymous13),
                    () -> assertNull(anonymous12.answer(), "TLS 1.2 without a certificate:\n" + anonymous12),
                    () -> assertEquals("client: " + BOT, bot13.answer(), bot13.toString()),
                    () -> assertEquals("client: " + BOT, bot12.answer(), bot12.toString()),
                    () -> assertTrue(bot13.serverSubject().contains("CN = listener-server"), bot13.toString()),
                    () -> assertTrue(bot12.serverSubject().contains("CN = listener-server"), bot12.toString()),
                    () -> assertNull(stranger13.answer(), "another CA:\n" + stranger13),
                    () -> assertNull(other12.answer(), "the right CA, not allowed:\n" + other12),
                    () -> assertEquals("client: " + BOT, jdkBot),
                    () -> assertTrue(jdkAnonymous.startsWith("failed"), jdkAnonymous),
                    () -> assertTrue(jdkOther.startsWith("failed"), jdkOther),
                    () -> assertTrue(stderr.contains("listener 'everything' refused a client certificate (" + STRANGER
                            + "): it does not chain to the listener's trust"), "the stranger's refusal is logged"),
                    () -> assertTrue(stderr.contains("listener 'everything' refused a client certificate (" + OTHER
                            + "): not on the listener's allow list"), "the other client's refusal is logged"));
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void serverOnTheJdkEngineIsLeftToTheJdkHooksAndGetsTheSameRule(Jdk jdk) throws Exception {
        Path profiles = profiles(jdk, "jdk-engine", "");
        try (ChildJvm.Running server = start(jdk, profiles, "", "JDK")) {
            int port = port(profiles);
            OpenSslClient.Result anonymous = OpenSslClient.tls(directory, "tls1_3").call(port, OpenSslClient.LINE);
            OpenSslClient.Result bot13 = OpenSslClient.tls(directory, "tls1_3").certificate(bot, "bot")
                    .call(port, OpenSslClient.LINE);
            OpenSslClient.Result other12 = OpenSslClient.tls(directory, "tls1_2").certificate(other, "other")
                    .call(port, OpenSslClient.LINE);
            String stdout = server.stdout();
            assertAll("server stdout:\n" + stdout + "\nserver stderr:\n" + server.stderr(),
                    () -> assertTrue(stdout.contains("INFO context io.netty.handler.ssl.JdkSslServerContext"),
                            "the server runs on the JDK engine"),
                    () -> assertNull(anonymous.answer(), anonymous.toString()),
                    () -> assertEquals("client: " + BOT, bot13.answer(), bot13.toString()),
                    () -> assertTrue(bot13.serverSubject().contains("CN = listener-server"), bot13.toString()),
                    () -> assertNull(other12.answer(), other12.toString()));
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void mandatoryListenerWithPortsRefusesEveryHandshakeAndSaysHowToFixIt(Jdk jdk) throws Exception {
        Path profiles = profiles(jdk, "ports", "    ports: [8443]\n");
        try (ChildJvm.Running server = start(jdk, profiles, "")) {
            int port = port(profiles);
            OpenSslClient.Result bot13 = OpenSslClient.tls(directory, "tls1_3").certificate(bot, "bot")
                    .call(port, OpenSslClient.LINE);
            String jdkBot = jdkClient(port, bot);
            String stderr = server.stderr();
            assertAll("server stderr:\n" + stderr,
                    () -> assertNull(bot13.answer(), bot13.toString()),
                    () -> assertTrue(jdkBot.startsWith("failed"), jdkBot),
                    () -> assertEquals(1, count(stderr, "a Netty server on the OpenSSL engine cannot be put under"
                            + " listener 'everything' by port"), "one line at build"),
                    () -> assertTrue(stderr.contains("Build it with SslProvider.JDK, or write a listener without ports")),
                    () -> assertTrue(stderr.contains("listener 'everything' is mandatory, and the local port of this server"
                            + " handshake cannot be told (a server on a TLS engine other than the JDK's, such as Netty on"
                            + " OpenSSL); refused"), "the refusal is logged"));
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void optionalListenerLetsAnonymousClientsInAndRotatesItsCertificate(Jdk jdk) throws Exception {
        Path folder = Files.createDirectories(directory.resolve(jdk.tag() + "-optional"));
        Files.copy(directory.resolve("listener-ca.pem"), folder.resolve("listener-ca.pem"));
        installServerIdentity(LISTENER_SERVER, folder);
        Path profiles = Files.writeString(folder.resolve("profiles.yaml"), String.join("\n",
                "version: 1",
                "listeners:",
                "  - name: everything",
                "    clientAuth: optional",
                "    trust:",
                "      certificates: listener-ca.pem",
                "    identity:",
                "      certificate: server-chain.pem",
                "      key: server.key",
                ""));
        try (ChildJvm.Running server = start(jdk, profiles, ",reload=1s")) {
            int port = port(profiles);
            OpenSslClient.Result anonymous = OpenSslClient.tls(folder, "tls1_3").call(port, OpenSslClient.LINE);
            OpenSslClient.Result otherClient = OpenSslClient.tls(folder, "tls1_2").certificate(other, "other")
                    .call(port, OpenSslClient.LINE);
            OpenSslClient.Result stranger13 = OpenSslClient.tls(folder, "tls1_3").certificate(stranger, "stranger")
                    .call(port, OpenSslClient.LINE);
            installServerIdentity(ROTATED_SERVER, folder);
            OpenSslClient.Result rotated = firstWithServer("CN = rotated-server", folder, port);
            String stderr = server.stderr();
            assertAll("server stderr:\n" + stderr,
                    () -> assertEquals("client: none", anonymous.answer(), anonymous.toString()),
                    () -> assertTrue(anonymous.serverSubject().contains("CN = listener-server"), anonymous.toString()),
                    () -> assertEquals("client: " + OTHER, otherClient.answer(), "optional, no allow-list: any client"
                            + " of the CA\n" + otherClient),
                    () -> assertNull(stranger13.answer(), "a certificate that is presented must pass:\n" + stranger13),
                    () -> assertEquals("client: none", rotated.answer(), rotated.toString()));
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void serverWithoutListenersIsUntouched(Jdk jdk) throws Exception {
        Path profiles = Files.writeString(directory.resolve(jdk.tag() + "-none.yaml"), String.join("\n",
                "version: 1",
                "profiles:",
                "  - name: outbound",
                "    hosts: [backend.example.com]",
                "    identity:",
                "      certificate: bot-chain.pem",
                "      key: bot.key",
                ""));
        try (ChildJvm.Running server = start(jdk, profiles, "")) {
            int port = port(profiles);
            OpenSslClient.Result offering = OpenSslClient.tls(directory, "tls1_3").certificate(bot, "bot")
                    .call(port, OpenSslClient.LINE);
            String jdkAnonymous = jdkClient(port, null, TestPki.trustStore("PKCS12", application.root()));
            String stderr = server.stderr();
            assertAll("server stderr:\n" + stderr,
                    () -> assertEquals("client: none", offering.answer(), "no certificate asked for:\n" + offering),
                    () -> assertTrue(offering.serverSubject().contains("CN = localhost"), "the application's own"
                            + " certificate:\n" + offering),
                    () -> assertEquals("client: none", jdkAnonymous),
                    () -> assertEquals(List.of(), List.of(stderr.lines().filter(line -> line.contains("mtls-agent")
                            && !line.startsWith("INFO: mtls-agent: 1 profile from")).toArray())));
        }
    }

    /** Writes a server identity with this subject where the listener reads it. */
    private static void installServerIdentity(String subject, Path folder) throws IOException {
        MatrixPki.install(listenerCa.issue("server").subject(subject).serverAuth().dns("localhost").create(),
                folder.resolve("server-chain.pem"), folder.resolve("server.key"));
    }

    /** Calls until the server presents this subject (the reload timer picks the new files up). */
    private static OpenSslClient.Result firstWithServer(String subject, Path folder, int port)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MILLIS);
        while (true) {
            OpenSslClient.Result result = OpenSslClient.tls(folder, "tls1_3").call(port, OpenSslClient.LINE);
            if (result.serverSubject().contains(subject) || System.nanoTime() > deadline) {
                return result;
            }
            Thread.sleep(200);
        }
    }

    private static Path profiles(Jdk jdk, String name, String ports) throws IOException {
        return Files.writeString(directory.resolve(jdk.tag() + "-" + name + ".yaml"), String.join("\n",
                "version: 1",
                "listeners:",
                "  - name: everything",
                ports + "    clientAuth: mandatory",
                "    trust:",
                "      certificates: listener-ca.pem",
                "    allow:",
                "      - subject: \"" + BOT + "\"",
                "    identity:",
                "      certificate: listener-server-chain.pem",
                "      key: listener-server.key",
                ""));
    }

    /** @param options more agent options, e.g. ",reload=1s" */
    private static ChildJvm.Running start(Jdk jdk, Path profiles, String options) throws Exception {
        return start(jdk, profiles, options, "OPENSSL");
    }

    /** @param engine the server's SslProvider */
    private static ChildJvm.Running start(Jdk jdk, Path profiles, String options, String engine) throws Exception {
        ChildJvm.Running server = jdk.client("netty")
                .jvmArgument("-javaagent:" + ChildJvm.agentJar() + "=profiles=" + profiles + options)
                .start(NettyOpenSslServerApp.class, directory.resolve("application-chain.pem").toString(),
                        directory.resolve("application.key").toString(), portFile(profiles).toString(), engine);
        server.awaitLine("READY", 1);
        return server;
    }

    private static Path portFile(Path profiles) {
        return profiles.resolveSibling(profiles.getFileName() + ".port");
    }

    private static int port(Path profiles) throws IOException {
        return Integer.parseInt(Files.readString(portFile(profiles)).trim());
    }

    /** A JDK client in this JVM (no agent): its answer, or "failed: ..." when the handshake or the read failed. */
    private static String jdkClient(int port, TestCertificate identity) throws Exception {
        return jdkClient(port, identity, TestPki.trustStore("PKCS12", listenerCa.certificate()));
    }

    private static String jdkClient(int port, TestCertificate identity, KeyStore trustStore) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity == null ? null : identity.keyStore("PKCS12", "secret", "client"), "secret".toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(identity == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(OpenSslClient.LINE.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            return line == null ? "failed: no answer" : line;
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
