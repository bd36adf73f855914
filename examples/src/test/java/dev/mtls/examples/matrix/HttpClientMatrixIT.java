package dev.mtls.examples.matrix;

import static dev.mtls.examples.matrix.MatrixPki.MATCHING_HOST;
import static dev.mtls.examples.matrix.MatrixPki.OTHER_HOST;
import static dev.mtls.examples.matrix.MatrixPki.PROFILE_SUBJECT;
import static dev.mtls.testing.ServerReport.NONE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.examples.clients.ApacheHttpClient4App;
import dev.mtls.examples.clients.ApacheHttpClient5App;
import dev.mtls.examples.clients.BouncyCastleJsseApp;
import dev.mtls.examples.clients.JettyClientApp;
import dev.mtls.examples.clients.NettyApp;
import dev.mtls.examples.clients.OkHttpApp;
import dev.mtls.examples.clients.WebClientApp;
import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.ServerReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every HTTP client of the matrix, unmodified, with the agent, on every installed JDK: the server
 * that requires a client certificate must see the profile's for "localhost", and the server that
 * only asks for one must see none for "127.0.0.1", a host no profile names. One child JVM per
 * client and JDK makes both calls.
 */
class HttpClientMatrixIT {
    @TempDir
    static Path directory;
    private static MatrixPki pki;
    private static JdkTlsServer requiring;
    private static JdkTlsServer asking;

    @BeforeAll
    static void start() throws Exception {
        pki = new MatrixPki(directory);
        requiring = JdkTlsServer.requiringClientCertificate(pki.server, pki.ca);
        asking = JdkTlsServer.askingForClientCertificate(pki.server, pki.ca);
    }

    @AfterAll
    static void stop() {
        if (requiring != null) {
            requiring.close();
        }
        if (asking != null) {
            asking.close();
        }
    }

    static Stream<Arguments> clientsOnEveryJdk() {
        List<HttpClientCase> clients = List.of(
                new HttpClientCase("Apache HttpClient 5.4", "httpclient5-5.4", ApacheHttpClient5App.class),
                new HttpClientCase("Apache HttpClient 5 (newest)", "httpclient5", ApacheHttpClient5App.class),
                new HttpClientCase("Apache HttpClient 4.5", "httpclient4", ApacheHttpClient4App.class),
                new HttpClientCase("OkHttp 4", "okhttp", OkHttpApp.class),
                new HttpClientCase("Netty, SslProvider.JDK", "netty", NettyApp.class, "JDK"),
                new HttpClientCase("Netty, SslProvider.OPENSSL", "netty", NettyApp.class, "OPENSSL"),
                new HttpClientCase("Jetty HttpClient 12", "jetty", JettyClientApp.class),
                new HttpClientCase("Spring WebClient on Reactor Netty", "webclient", WebClientApp.class),
                new HttpClientCase("Spring WebClient on Reactor Netty with netty-tcnative", "webclient-openssl",
                        WebClientApp.class));
        return Jdk.installed().stream().flatMap(jdk -> clients.stream().map(client -> Arguments.of(client, jdk)));
    }

    static Stream<Jdk> jdks() {
        return Jdk.installed().stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("clientsOnEveryJdk")
    void presentsProfileCertificateToMatchingHostOnly(HttpClientCase client, Jdk jdk) throws Exception {
        String tag = "/" + client.id() + "/" + jdk.tag();
        String matching = requiring.url(MATCHING_HOST, tag + "/matching");
        String other = asking.url(OTHER_HOST, tag + "/other");
        List<String> arguments = new ArrayList<>(client.leadingArguments);
        arguments.add(matching);
        arguments.add(other);

        ClientRun run = ClientRun.of(pki.trustingClient(jdk.client(client.classpath)).agent("profiles=" + pki.profiles)
                .run(client.application, arguments.toArray(new String[0])));

        assertAll(run.toString(),
                () -> assertEquals(0, run.exitCode),
                () -> assertEquals(PROFILE_SUBJECT, subjectSeen(requiring, tag + "/matching")),
                () -> assertEquals(NONE, subjectSeen(asking, tag + "/other")),
                () -> assertTrue(String.valueOf(run.result(matching)).startsWith("OK 200 "), run.result(matching)),
                () -> assertTrue(String.valueOf(run.result(other)).startsWith("OK 200 "), run.result(other)),
                () -> assertEquals(List.of(), run.agentComplaints()));
        if (client.expectsOpenSsl()) {
            // Prove the calls really ran on BoringSSL, which only the SslContextBuilder hook reaches.
            List<String> engines = run.info("engine");
            assertTrue(!engines.isEmpty() && engines.stream().allMatch(engine -> engine.contains("OpenSsl")),
                    run.toString());
        }
    }

    /** The control: the same unmodified client without the agent is refused, so the certificate above is the agent's. */
    @Test
    void withoutTheAgentTheRequiringServerRefusesTheClient() throws Exception {
        Jdk jdk = Jdk.installed().get(0);
        String path = "/control/" + jdk.tag() + "/matching";
        String url = requiring.url(MATCHING_HOST, path);

        ClientRun run = ClientRun.of(pki.trustingClient(jdk.client("okhttp")).run(OkHttpApp.class, url));

        assertTrue(String.valueOf(run.result(url)).startsWith("FAILED "), run.toString());
        assertEquals("(no request arrived)", subjectSeen(requiring, path), run.toString());
    }

    @ParameterizedTest(name = "Bouncy Castle JSSE on {0}")
    @MethodSource("jdks")
    void bouncyCastleJssePresentsProfileCertificateOverTls12AndTls13(Jdk jdk) throws Exception {
        String tag = "/bcjsse/" + jdk.tag();

        ClientRun run = ClientRun.of(pki.trustingClient(jdk.client("bcjsse")).agent("profiles=" + pki.profiles)
                .run(BouncyCastleJsseApp.class, requiring.url(MATCHING_HOST, tag + "/matching"),
                        asking.url(OTHER_HOST, tag + "/other")));

        assertAll(run.toString(),
                () -> assertEquals(0, run.exitCode),
                () -> assertEquals(List.of("BCJSSE", "BCJSSE"), run.info("context-provider")),
                () -> assertEquals(PROFILE_SUBJECT + " over TLSv1.2", seen(requiring, tag + "/matching/tls12")),
                () -> assertEquals(PROFILE_SUBJECT + " over TLSv1.3", seen(requiring, tag + "/matching/default")),
                () -> assertEquals(NONE + " over TLSv1.2", seen(asking, tag + "/other/tls12")),
                () -> assertEquals(NONE + " over TLSv1.3", seen(asking, tag + "/other/default")),
                () -> assertEquals(List.of(), run.agentComplaints()));
    }

    private static String subjectSeen(JdkTlsServer server, String path) {
        ServerReport seen = server.seen(path);
        return seen == null ? "(no request arrived)" : seen.clientSubject;
    }

    private static String seen(JdkTlsServer server, String path) {
        ServerReport seen = server.seen(path);
        return seen == null ? "(no request arrived)" : seen.clientSubject + " over " + seen.protocol;
    }

    /** One row of the matrix: a client application and the class path it runs on. */
    static final class HttpClientCase {
        final String name;
        final String classpath;
        final Class<?> application;
        final List<String> leadingArguments;

        HttpClientCase(String name, String classpath, Class<?> application, String... leadingArguments) {
            this.name = name;
            this.classpath = classpath;
            this.application = application;
            this.leadingArguments = List.of(leadingArguments);
        }

        /** Whether the client must have run on netty-tcnative's BoringSSL rather than the JDK's engine. */
        boolean expectsOpenSsl() {
            return leadingArguments.contains("OPENSSL") || classpath.endsWith("-openssl");
        }

        /** For request paths: the class path name, and the provider where one client runs twice. */
        String id() {
            return leadingArguments.isEmpty() ? classpath : classpath + "-" + String.join("-", leadingArguments);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
