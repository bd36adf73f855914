package dev.mtls.agent.it;

import static dev.mtls.agent.it.ProfileFiles.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mtls.itapps.HttpsClientApp;
import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.OpenSslServer;
import dev.mtls.testing.ServerReport;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki.KeyType;
import dev.mtls.testing.TlsTestServer;
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

/**
 * The mTLS grid. An unmodified application with the agent calls, in every client style (each
 * reaches the identity through a different hook), a server that requires a client certificate
 * for the RSA profile's host, another for the EC profile's, and one that only asks for one under
 * a host no profile names. Both servers are there twice: a JDK {@code HttpsServer} and
 * {@code openssl s_server}, an independent TLS stack. Each server must report the profile's
 * certificate for a matching host, none for the other, over the protocol the client pinned.
 *
 * <p>One child JVM per JDK, server and protocol runs every style against every server; each
 * call is one dynamic test named for its case. The same runs with a WSO2 file used as it is.
 */
class MutualTlsIT {
    private static final String RSA_SUBJECT = "CN=it-client-rsa,O=mtls-agent";
    private static final String WSO2_RSA_SUBJECT = "CN=wso2-client-rsa,O=mtls-agent";
    private static final String WSO2_EC_SUBJECT = "CN=wso2-client-ec,O=mtls-agent";
    private static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

    @TempDir
    static Path directory;
    private static TestSetup setup;
    private static final StartedServers STARTED = new StartedServers();
    private static final List<Servers> SERVERS = new ArrayList<>();
    private static Path profiles;
    private static Path wso2Home;
    private static Path wso2Profiles;

    /** One server stack: a server requiring a certificate per identity, and one that only asks. */
    private static final class Servers {
        final TlsTestServer rsa;
        final TlsTestServer ec;
        final TlsTestServer asking;

        Servers(TlsTestServer rsa, TlsTestServer ec, TlsTestServer asking) {
            this.rsa = rsa;
            this.ec = ec;
            this.asking = asking;
        }

        String kind() {
            return rsa.kind();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        setup = new TestSetup(directory);
        TestCertificate rsaClient = setup.ca.issue("it-client-rsa").subject(RSA_SUBJECT).keyType(KeyType.RSA)
                .clientAuth().create();
        SERVERS.add(new Servers(started(JdkTlsServer.requiringClientCertificate(setup.server, setup.ca)),
                started(JdkTlsServer.requiringClientCertificate(setup.server, setup.ca)),
                started(JdkTlsServer.askingForClientCertificate(setup.server, setup.ca))));
        SERVERS.add(new Servers(started(OpenSslServer.requiringClientCertificate(directory, setup.server, setup.ca)),
                started(OpenSslServer.requiringClientCertificate(directory, setup.server, setup.ca)),
                started(OpenSslServer.askingForClientCertificate(directory, setup.server, setup.ca))));
        String[] rsaHosts = SERVERS.stream().map(servers -> "localhost:" + servers.rsa.port()).toArray(String[]::new);
        String[] ecHosts = SERVERS.stream().map(servers -> "localhost:" + servers.ec.port()).toArray(String[]::new);
        profiles = ProfileFiles.yaml(directory.resolve("grid.yaml"), profile("rsa", rsaClient, rsaHosts),
                profile("ec", setup.client, ecHosts));
        wso2Home = directory.resolve("wso2am");
        wso2Profiles = ProfileFiles.wso2(wso2Home, setup.ca.certificate(),
                profile("client-rsa", setup.ca.issue("wso2-client-rsa").subject(WSO2_RSA_SUBJECT)
                        .keyType(KeyType.RSA).clientAuth().create(), rsaHosts),
                profile("client-ec", setup.ca.issue("wso2-client-ec").subject(WSO2_EC_SUBJECT).clientAuth().create(),
                        ecHosts));
    }

    private static TlsTestServer started(TlsTestServer server) {
        return STARTED.add(server);
    }

    @AfterAll
    static void stop() {
        STARTED.close();
    }

    @TestFactory
    Stream<DynamicContainer> presentsProfileCertificateToMatchingHostsOnly() {
        return ChildJvm.javaExecutables().flatMap(java -> SERVERS.stream().flatMap(servers -> PROTOCOLS.stream()
                .map(protocol -> grid(ChildJvm.jdkName(java) + ", " + servers.kind() + ", " + protocol,
                        setup.trustingClient(ChildJvm.on(java)).agent("profiles=" + profiles)
                                .jvmArgument("-Djdk.tls.client.protocols=" + protocol),
                        profiles, List.of(servers), RSA_SUBJECT, TestSetup.CLIENT_SUBJECT, protocol))));
    }

    /**
     * A WSO2 API Manager file, keystores and truststore as JKS, locations relative to its home; the
     * protocol left to the two ends, which agree on TLS 1.3.
     */
    @TestFactory
    Stream<DynamicContainer> presentsWso2ProfileCertificateToMatchingHostsOnly() {
        return ChildJvm.javaExecutables().map(java -> grid(
                ChildJvm.jdkName(java) + ", WSO2 sslprofiles.xml, both servers",
                setup.trustingClient(ChildJvm.on(java)).agent("profiles=" + wso2Profiles + ",base=" + wso2Home),
                wso2Profiles, SERVERS, WSO2_RSA_SUBJECT, WSO2_EC_SUBJECT, "TLSv1.3"));
    }

    /**
     * A driver that connects to an address and names the server only in SNI (TLS layered over its
     * own socket) is given the certificate of the profile for that name, by both servers.
     */
    @TestFactory
    Stream<DynamicTest> layeredSocketToAnAddressPresentsTheProfileOfItsServerName() {
        Path sniProfiles = ProfileFiles.yaml(directory.resolve("server-name.yaml"),
                profile("db", setup.client, "db.internal"));
        return ChildJvm.javaExecutables().map(java -> dynamicTest(ChildJvm.jdkName(java), () -> {
            List<String> arguments = new ArrayList<>(List.of("layered-socket"));
            for (Servers servers : SERVERS) {
                arguments.add(servers.ec.url("127.0.0.1", "/"));
            }
            ChildJvm.Result result = setup.trustingClient(ChildJvm.on(java)).agent("profiles=" + sniProfiles)
                    .jvmArgument("-Ditapp.serverName=db.internal").jvmArgument("-Djdk.tls.client.protocols=TLSv1.3")
                    .jvmArgument(OpenSslServer.CLIENT_JVM_ARGUMENT)
                    .run(HttpsClientApp.class, arguments.toArray(new String[0]));
            assertEquals(0, result.exitCode, result.toString());
            Map<String, ClientCall> calls = ClientCall.parseAll(result.stdout);
            for (Servers servers : SERVERS) {
                ClientCall call = calls.get(ClientCall.key("layered-socket", servers.ec.url("127.0.0.1", "/")));
                assertNotNull(call, () -> servers.kind() + ": no result for this call: " + result.ending());
                assertEquals("ok, " + new ServerReport(TestSetup.CLIENT_SUBJECT, "TLSv1.3"),
                        call.outcomeAt(servers.ec), () -> servers.kind() + ": " + call + "\n" + result.ending());
            }
        }));
    }

    /** Runs the child JVM when JUnit reaches the container, then one test per call it made. */
    private static DynamicContainer grid(String name, ChildJvm jvm, Path profileFile, List<Servers> targets,
            String rsaSubject, String ecSubject, String protocol) {
        return dynamicContainer(name, Stream.of(name).flatMap(unused -> {
            List<Case> cases = new ArrayList<>();
            for (Servers servers : targets) {
                cases.add(new Case("RSA profile", servers.rsa, servers.rsa.url("localhost", "/"), rsaSubject));
                cases.add(new Case("EC profile", servers.ec, servers.ec.url("localhost", "/"), ecSubject));
                cases.add(new Case("no profile", servers.asking, servers.asking.url("127.0.0.1", "/"),
                        ServerReport.NONE));
            }
            List<String> arguments = new ArrayList<>(List.of(String.join(",", HttpsClientApp.INJECTION_STYLES)));
            cases.forEach(c -> arguments.add(c.url));
            if (targets.stream().anyMatch(servers -> servers.rsa instanceof OpenSslServer)) {
                jvm.jvmArgument(OpenSslServer.CLIENT_JVM_ARGUMENT);
            }
            ChildJvm.Result result = run(jvm.withBouncyCastle(), arguments);
            Map<String, ClientCall> calls = ClientCall.parseAll(result.stdout);

            DynamicTest clean = dynamicTest("the application ran to its end, the agent started with one line", () -> {
                assertEquals(0, result.exitCode, result.toString());
                assertEquals(List.of("INFO: mtls-agent: 2 profiles from " + profileFile),
                        result.stderrLinesWith("mtls-agent"), result.toString());
                assertFalse(result.stderr.contains("Exception") || result.stderr.contains("\tat "), result.toString());
            });
            return Stream.concat(Stream.of(clean), HttpsClientApp.INJECTION_STYLES.stream()
                    .flatMap(style -> cases.stream().map(c -> dynamicTest(style + ", " + c, () -> {
                        String where = name + ": " + style + ", " + c + "\n";
                        ClientCall call = calls.get(ClientCall.key(style, c.url));
                        assertNotNull(call, () -> where + "no result for this call: " + result.ending());
                        assertEquals("ok, " + new ServerReport(c.subject, protocol), call.outcomeAt(c.server),
                                () -> where + call + "\n" + result.ending());
                    }))));
        }));
    }

    /** Runs {@code HttpsClientApp} with these arguments; for other tests' call grids too. */
    static ChildJvm.Result run(ChildJvm jvm, List<String> arguments) {
        try {
            return jvm.run(HttpsClientApp.class, arguments.toArray(new String[0]));
        } catch (Exception e) {
            throw new IllegalStateException("cannot run the child JVM", e);
        }
    }

    /** A server, the URL the application calls on it, and the client certificate the server must report. */
    private static final class Case {
        final String label;
        final TlsTestServer server;
        final String url;
        final String subject;

        Case(String label, TlsTestServer server, String url, String subject) {
            this.label = label;
            this.server = server;
            this.url = url;
            this.subject = subject;
        }

        @Override
        public String toString() {
            return label + ", " + server.kind() + " " + url.substring("https://".length(), url.length() - 1);
        }
    }
}
