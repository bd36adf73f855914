package dev.mtls.examples.matrix;

import dev.mtls.examples.servers.JettyServerApp;
import dev.mtls.examples.servers.NettyServerApp;
import dev.mtls.examples.servers.TomcatServerApp;
import dev.mtls.examples.servers.UndertowServerApp;
import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.OpenSslClient;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Listeners (docs/LISTENERS.md) on real servers, each written as an application writes it with no
 * client-auth code: embedded Tomcat 11 and 10.1, Jetty 12, Netty 4.2 on the JDK engine and
 * Undertow 2.3, each in a child JVM on its own class path with the agent and one file of three
 * listeners: {@code api} mandatory on one port (the bot only, presenting the listener's server
 * certificate), {@code partners} optional on a second (the bot only), and {@code rest}, a
 * mandatory listener without ports that covers the third (any certificate from the client CA).
 * Each server starts once per JDK and is probed with {@code openssl s_client} (TLS 1.2 and 1.3)
 * and a JDK client; the subject it answers with is what the server's own API reported.
 */
class ServerListenerIT {
    private static final String BOT = "CN=bot,O=acme";
    private static final String STRANGER = "CN=stranger";
    /** A line of the agent's log (java.util.logging's "LEVEL: message") about the api listener. */
    private static final Pattern OUR_API_REFUSAL = Pattern.compile("^[A-Z]+: mtls-agent: listener 'api' refused");

    @TempDir
    static Path pki;
    private static TestCertificate serverCa;
    private static TestCertificate clientCa;
    private static TestCertificate bot;
    private static TestCertificate stranger;
    private static TestCertificate impostor;
    private static Path applicationKeyStore;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePki() {
        serverCa = TestPki.rootCa("Server Listener IT Server CA").create();
        TestCertificate appServer = serverCa.issue("app-server").serverAuth().dns("localhost").ip("127.0.0.1").create();
        clientCa = TestPki.rootCa("Server Listener IT Client CA").create();
        bot = clientCa.issue("bot").subject(BOT).clientAuth().create();
        stranger = clientCa.issue("stranger").clientAuth().create();
        // The bot's subject, from a CA no listener trusts.
        impostor = TestPki.rootCa("Other CA").create().issue("bot").subject(BOT).clientAuth().create();
        applicationKeyStore = appServer.writeKeyStore(pki.resolve("app.p12"), "PKCS12", "changeit", "changeit", "app");
    }

    /** The server applications and their class paths (examples/pom.xml writes one per server). */
    enum Server {
        TOMCAT_11("Tomcat 11", "tomcat11", TomcatServerApp.class, "Apache Tomcat/11.0."),
        TOMCAT_10_1("Tomcat 10.1", "tomcat10.1", TomcatServerApp.class, "Apache Tomcat/10.1."),
        JETTY_12("Jetty 12", "jetty-server", JettyServerApp.class, "Jetty 12."),
        NETTY_4_2("Netty 4.2 (SslProvider.JDK)", "netty", NettyServerApp.class, "Netty 4.2."),
        UNDERTOW_2_3("Undertow 2.3", "undertow", UndertowServerApp.class, "Undertow 2.3.");

        final String title;
        final String classpath;
        final Class<?> application;
        /** How the running server names itself: proof that the class path holds the version meant. */
        final String version;

        Server(String title, String classpath, Class<?> application, String version) {
            this.title = title;
            this.classpath = classpath;
            this.application = application;
            this.version = version;
        }

        @Override
        public String toString() {
            return title;
        }
    }

    static List<Arguments> serversOnEveryJdk() {
        List<Arguments> rows = new ArrayList<>();
        for (Server server : Server.values()) {
            for (Jdk jdk : Jdk.installed()) {
                rows.add(Arguments.of(server, jdk));
            }
        }
        return rows;
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("serversOnEveryJdk")
    void eachPortGetsItsListenersRuleAndTheServersOwnApiReportsTheClient(Server server, Jdk jdk) throws Exception {
        int api = freePort();
        int partners = freePort();
        int rest = freePort();
        Path file = listeners(api, partners);
        try (ChildJvm.Running app = jdk.client(server.classpath).agent("profiles=" + file)
                .systemProperty("server.keyStore", applicationKeyStore.toString())
                .start(server.application, String.valueOf(api), String.valueOf(partners), String.valueOf(rest))) {
            app.awaitLine("listening", 1);
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(app.stdout()).as("the server that runs").contains("server: " + server.version);
            for (String protocol : List.of("tls1_2", "tls1_3")) {
                // api: mandatory, by port, the bot only; the listener's certificate is presented
                OpenSslClient.Result admitted = call(protocol, api, bot);
                soft.assertThat(admitted.answer()).as(protocol + " api, bot\n" + admitted).isEqualTo("client: " + BOT);
                soft.assertThat(admitted.serverSubject()).as(protocol + " api, server certificate")
                        .contains("listener-server");
                refusedWithoutCertificate(soft, protocol, call(protocol, api, null), "api, no certificate");
                refusedCertificate(soft, call(protocol, api, impostor), protocol + " api, another CA");
                refusedCertificate(soft, call(protocol, api, stranger), protocol + " api, not on the allow list");

                // partners: optional, by port, the bot only; the application's certificate
                OpenSslClient.Result anonymous = call(protocol, partners, null);
                soft.assertThat(anonymous.answer()).as(protocol + " partners, no certificate\n" + anonymous)
                        .isEqualTo("client: none");
                soft.assertThat(anonymous.serverSubject()).as(protocol + " partners, server certificate")
                        .contains("app-server");
                soft.assertThat(call(protocol, partners, bot).answer()).as(protocol + " partners, bot")
                        .isEqualTo("client: " + BOT);
                refusedCertificate(soft, call(protocol, partners, impostor), protocol + " partners, another CA");
                refusedCertificate(soft, call(protocol, partners, stranger), protocol + " partners, not on the allow list");

                // rest: mandatory, the listener without ports, any certificate from the client CA
                OpenSslClient.Result any = call(protocol, rest, stranger);
                soft.assertThat(any.answer()).as(protocol + " rest, stranger\n" + any).isEqualTo("client: " + STRANGER);
                soft.assertThat(any.serverSubject()).as(protocol + " rest, server certificate").contains("app-server");
                refusedWithoutCertificate(soft, protocol, call(protocol, rest, null), "rest, no certificate");
                refusedCertificate(soft, call(protocol, rest, impostor), protocol + " rest, another CA");
            }
            soft.assertThat(jdkCall(api, bot)).as("JDK client, api, bot").isEqualTo("client: " + BOT);
            soft.assertThat(jdkCall(api, null)).as("JDK client, api, no certificate").startsWith("refused");
            soft.assertThat(jdkCall(partners, null)).as("JDK client, partners, no certificate").isEqualTo("client: none");
            soft.assertThat(jdkCall(rest, stranger)).as("JDK client, rest, stranger").isEqualTo("client: " + STRANGER);

            // The server's log: our line once per listener, reason and client, however often refused. (Netty
            // also logs each handshake exception that reaches the end of its pipeline, with our reason in it.)
            List<String> refusals = app.stderr().lines().filter(line -> OUR_API_REFUSAL.matcher(line).find())
                    .collect(Collectors.toList());
            soft.assertThat(refusals).as("the api listener's refusals in the server's log").hasSize(2);
            soft.assertThat(String.join("\n", refusals)).contains(
                    "(" + STRANGER + "): not on the listener's allow list",
                    "(" + BOT + "): it does not chain to the listener's trust");
            if (!soft.errorsCollected().isEmpty()) {
                soft.fail("the server's stderr:\n" + app.stderr());
            }
            soft.assertAll();
        }
    }

    /**
     * No answer, and SunJSSE's own alert for a missing certificate: in TLS 1.3 certificate_required
     * (116), or bad_certificate (42) from JDK 17; in TLS 1.2 handshake_failure (40) or bad_certificate (42).
     */
    private static void refusedWithoutCertificate(SoftAssertions soft, String protocol, OpenSslClient.Result result,
            String what) {
        soft.assertThat(result.answer()).as(protocol + " " + what + "\n" + result).isNull();
        soft.assertThat(result.output).as(protocol + " " + what + ": the alert\n" + result)
                .containsPattern(protocol.equals("tls1_3") ? "alert number (116|42)" : "alert number (40|42)");
    }

    /** No answer, and the alert the agent's refusal gives: certificate_unknown (46). */
    private static void refusedCertificate(SoftAssertions soft, OpenSslClient.Result result, String what) {
        soft.assertThat(result.answer()).as(what + "\n" + result).isNull();
        soft.assertThat(result.output).as(what + ": the alert\n" + result).contains("alert number 46");
    }

    /** {@code openssl s_client} presenting {@code certificate}, or none when it is null. */
    private OpenSslClient.Result call(String protocol, int port, TestCertificate certificate) {
        OpenSslClient client = OpenSslClient.tls(dir, protocol);
        if (certificate == bot) {
            client.certificate(bot, "bot");
        } else if (certificate == stranger) {
            client.certificate(stranger, "stranger");
        } else if (certificate == impostor) {
            client.certificate(impostor, "impostor");
        }
        return client.call(port, OpenSslClient.HTTP_GET);
    }

    private Path listeners(int api, int partners) throws IOException {
        TestPki.writePem(dir.resolve("client-ca.pem"), clientCa.certificate());
        TestCertificate listenerServer = serverCa.issue("listener-server").serverAuth().dns("localhost")
                .ip("127.0.0.1").create();
        listenerServer.writeChain(dir.resolve("listener-server-chain.pem"));
        TestPki.ownerOnly(listenerServer.writePkcs8Key(dir.resolve("listener-server.key")));
        return Files.write(dir.resolve("listeners.yaml"), List.of(
                "version: 1",
                "listeners:",
                "  - name: api",
                "    ports: [" + api + "]",
                "    clientAuth: mandatory",
                "    trust:",
                "      certificates: client-ca.pem",
                "    allow:",
                "      - subject: \"" + BOT + "\"",
                "    identity:",
                "      certificate: listener-server-chain.pem",
                "      key: listener-server.key",
                "  - name: partners",
                "    ports: [" + partners + "]",
                "    clientAuth: optional",
                "    trust:",
                "      certificates: client-ca.pem",
                "    allow:",
                "      - subject: \"" + BOT + "\"",
                "  - name: rest",
                "    clientAuth: mandatory",
                "    trust:",
                "      certificates: client-ca.pem"));
    }

    /** A port nothing listens on now, for the listener file written before the server starts. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A JDK client in the test JVM (no agent) with {@code certificate}'s own key store, or none:
     * the server's answer, or "refused: " and the exception when the handshake failed.
     */
    private static String jdkCall(int port, TestCertificate certificate) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
        if (certificate != null) {
            keys.init(certificate.keyStore("PKCS12", "pass", "client"), "pass".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(TestPki.trustStore("PKCS12", serverCa.certificate()));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(certificate == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        HttpsURLConnection connection = (HttpsURLConnection) new URL("https://localhost:" + port + "/").openConnection();
        connection.setSSLSocketFactory(context.getSocketFactory());
        try (InputStream in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "refused: " + e;
        }
    }
}
