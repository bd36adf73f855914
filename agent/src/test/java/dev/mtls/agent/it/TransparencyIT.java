package dev.mtls.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mtls.itapps.HttpsClientApp;
import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.OpenSslServer;
import dev.mtls.testing.ServerReport;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import dev.mtls.testing.TlsTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * For a host no profile names, an application behaves exactly as without the agent. On each JDK
 * the same application runs twice, without the agent and with it (and a real profile file, for
 * other hosts), calling 127.0.0.1, which no profile names; every call must end the same way both
 * times, and the way expected. A last call, to a host that has a profile, shows that the agent
 * was at work.
 *
 * <p>TLS 1.2 throughout: a server refuses a client certificate inside a TLS 1.2 handshake, while
 * in TLS 1.3 the client has already finished its handshake and meets the refusal at its next read
 * or write, sometimes as a reset connection instead of the alert.
 */
class TransparencyIT {
    private static final String APPLICATION_SUBJECT = "CN=the-application,O=its-owner";

    /** What s_server's refusal of a handshake without a client certificate looks like to the client. */
    private static final Expected REFUSED = fails("Received fatal alert: handshake_failure");

    @TempDir
    static Path directory;
    private static TestSetup setup;
    private static Path profiles;
    private static Path applicationKeyStore;
    private static final List<TlsTestServer> SERVERS = new ArrayList<>();
    private static final List<Case> CASES = new ArrayList<>();
    private static Case control;

    @BeforeAll
    static void start() throws Exception {
        setup = new TestSetup(directory);
        applicationKeyStore = setup.ca.issue("the-application").subject(APPLICATION_SUBJECT).clientAuth().create()
                .writeKeyStore(directory.resolve("application.p12"), "PKCS12", "changeit", "changeit", "application");
        TestCertificate otherCa = TestPki.rootCa("a CA the application does not trust").create();
        TlsTestServer requiring = server(JdkTlsServer.requiringClientCertificate(setup.server, setup.ca));
        TlsTestServer opensslRequiring = server(OpenSslServer.requiringClientCertificate(directory, setup.server,
                setup.ca));
        TlsTestServer trusted = server(JdkTlsServer.askingForClientCertificate(setup.server, setup.ca));
        TlsTestServer untrusted = server(JdkTlsServer.askingForClientCertificate(otherCa.issue("localhost")
                .serverAuth().dns("localhost").ip("127.0.0.1").create(), setup.ca));
        TlsTestServer wrongName = server(JdkTlsServer.askingForClientCertificate(setup.ca.issue("elsewhere")
                .serverAuth().dns("elsewhere.example").create(), setup.ca));
        TlsTestServer weakKey = server(OpenSslServer.askingForClientCertificate(directory, setup.ca.issue("localhost")
                .rsaKeySize(768).serverAuth().dns("localhost").ip("127.0.0.1").create(), setup.ca,
                "-tls1_2", "-cipher", "DEFAULT@SECLEVEL=0"));

        // Only s_server: the JDK HttpsServer closes the connection while the client is still sending its
        // part of the handshake, and the client sees "Broken pipe" or "Remote host terminated the
        // handshake" as the race falls, with or without the agent.
        CASES.add(new Case("a server that requires a certificate refuses the application without one",
                "urlconnection", opensslRequiring, REFUSED));
        CASES.add(new Case("the application's own certificate, from its own key manager, is presented",
                "own-keystore", requiring, received(APPLICATION_SUBJECT)));
        CASES.add(new Case("the application's own certificate, from its own key manager, is presented",
                "own-keystore", opensslRequiring, received(APPLICATION_SUBJECT)));
        CASES.add(new Case("key and trust manager factories named SunJSSE, as Jetty asks for them, still work",
                "jetty-sunjsse", requiring, received(APPLICATION_SUBJECT)));
        CASES.add(new Case("the application's trust store accepts a server it trusts",
                "urlconnection", trusted, received(ServerReport.NONE)));
        CASES.add(new Case("the application's trust store refuses a server signed by a CA it does not trust",
                "urlconnection", untrusted, fails("PKIX path building failed")));
        CASES.add(new Case("a plain trust-all manager still fails HTTPS host name checking",
                "trust-all", wrongName, fails("No subject alternative names matching IP address 127.0.0.1")));
        CASES.add(new Case("a plain trust-all manager still refuses a 768-bit RSA server key",
                "trust-all", weakKey, fails("Certificates do not conform to algorithm constraints")));
        control = new Case("a host with a profile gets the profile's certificate", "urlconnection",
                opensslRequiring, received(TestSetup.CLIENT_SUBJECT), "localhost");
        profiles = realProfiles(otherCa);
    }

    /** Every server goes on the list as it starts, so that a failure while starting the next stops it too. */
    private static TlsTestServer server(TlsTestServer server) {
        SERVERS.add(server);
        return server;
    }

    /** Profiles as an operator writes them, for every host but 127.0.0.1, and no default profile. */
    private static Path realProfiles(TestCertificate otherCa) throws Exception {
        Path partner = setup.ca.issue("partner").clientAuth().create()
                .writeKeyStore(directory.resolve("partner.p12"), "PKCS12", "changeit", "changeit", "partner");
        Files.setPosixFilePermissions(partner, PosixFilePermissions.fromString("rw-------"));
        TestPki.writePem(directory.resolve("partner-ca.pem"), otherCa.certificate());
        return Files.writeString(directory.resolve("transparency.yaml"), String.join("\n",
                "version: 1",
                "reload: 30s",
                "profiles:",
                "  - name: payments",
                "    hosts: [localhost, \"*.payments.example.com\", 10.1.2.3]",
                "    identity:",
                "      certificate: client-chain.pem",
                "      key: client.key",
                "  - name: partner",
                "    hosts: [\"partner.example.org:8443\", \"[2001:db8::1]:8443\"]",
                "    mode: optional",
                "    identity:",
                "      keystore: partner.p12",
                "      storePassword: changeit",
                "    trust:",
                "      certificates: partner-ca.pem",
                "    verifyHostname: true",
                ""));
    }

    @AfterAll
    static void stop() {
        SERVERS.forEach(TlsTestServer::close);
    }

    @TestFactory
    Stream<DynamicContainer> behavesAsWithoutTheAgentForHostsWithoutProfile() {
        return ChildJvm.javaExecutables().map(java -> dynamicContainer(ChildJvm.jdkName(java) + ", TLSv1.2",
                Stream.of(java).flatMap(TransparencyIT::compare)));
    }

    private static Stream<DynamicTest> compare(Path java) {
        ChildJvm.Result without = run(application(java));
        ChildJvm.Result with = run(application(java).agent("profiles=" + profiles));
        Map<String, ClientCall> callsWithout = ClientCall.parseAll(without.stdout);
        Map<String, ClientCall> callsWith = ClientCall.parseAll(with.stdout);

        DynamicTest ran = dynamicTest("both runs ended normally, the agent started with one line", () -> {
            assertEquals(0, without.exitCode, without.toString());
            assertEquals(0, with.exitCode, with.toString());
            assertEquals(List.of("INFO: mtls-agent: 2 profiles from " + profiles), with.stderrLinesWith("mtls-agent"),
                    with.toString());
            assertFalse(with.stderr.contains("\tat "), with.toString());
        });
        String jdk = ChildJvm.jdkName(java) + ": ";
        DynamicTest agentAtWork = dynamicTest(control.toString(), () -> {
            control.expected.check(outcome(callsWith, control, with), jdk + control + ", with the agent");
            REFUSED.check(outcome(callsWithout, control, without), jdk + control + ", without the agent");
        });
        return Stream.concat(Stream.of(ran, agentAtWork), CASES.stream().map(c -> dynamicTest(c.toString(), () -> {
            String withoutAgent = outcome(callsWithout, c, without);
            c.expected.check(withoutAgent, jdk + c + ", without the agent");
            assertEquals(withoutAgent, outcome(callsWith, c, with), () -> jdk + c
                    + ": with the agent, unlike without it\n" + with.ending());
        })));
    }

    private static ChildJvm application(Path java) {
        return setup.trustingClient(ChildJvm.on(java)).jvmArgument("-Djdk.tls.client.protocols=TLSv1.2")
                .jvmArgument("-Ditapp.keyStore=" + applicationKeyStore);
    }

    private static ChildJvm.Result run(ChildJvm jvm) {
        List<String> arguments = new ArrayList<>();
        for (Case c : CASES) {
            arguments.add(c.style);
            arguments.add(c.url);
        }
        arguments.add(control.style);
        arguments.add(control.url);
        try {
            return jvm.run(HttpsClientApp.class, arguments.toArray(new String[0]));
        } catch (Exception e) {
            throw new IllegalStateException("cannot run the child JVM", e);
        }
    }

    private static String outcome(Map<String, ClientCall> calls, Case c, ChildJvm.Result result) {
        ClientCall call = calls.get(ClientCall.key(c.style, c.url));
        assertNotNull(call, () -> "no result for " + c + ": " + result.ending());
        return call.outcomeAt(c.server);
    }

    private static Expected received(String subject) {
        String outcome = "ok, " + new ServerReport(subject, "TLSv1.2");
        return (actual, where) -> assertEquals(outcome, actual, where);
    }

    /** An SSLHandshakeException whose message has {@code stablePart} (JDK 25 puts the alert name before it). */
    private static Expected fails(String stablePart) {
        String prefix = SSLHandshakeException.class.getName() + ": ";
        return (actual, where) -> assertTrue(actual.startsWith(prefix) && actual.contains(stablePart),
                () -> where + ": expected " + prefix + "..." + stablePart + ", was " + actual);
    }

    /** How a call must end: asserts it on an outcome, naming the call with {@code where}. */
    private interface Expected {
        void check(String outcome, String where);
    }

    private static final class Case {
        final String name;
        final String style;
        final TlsTestServer server;
        final String url;
        final Expected expected;

        Case(String name, String style, TlsTestServer server, Expected expected) {
            this(name, style, server, expected, "127.0.0.1");
        }

        Case(String name, String style, TlsTestServer server, Expected expected, String host) {
            this.name = name;
            this.style = style;
            this.server = server;
            this.url = server.url(host, "/");
            this.expected = expected;
        }

        @Override
        public String toString() {
            return name + " (" + style + ", " + server.kind() + " " + url.substring("https://".length(),
                    url.length() - 1) + ")";
        }
    }
}
