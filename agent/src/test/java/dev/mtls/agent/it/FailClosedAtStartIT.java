package dev.mtls.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mtls.itapps.HttpsClientApp;
import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.OpenSslServer;
import dev.mtls.testing.ServerReport;
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

/**
 * Profiles that do not load at start, against servers that only ASK for a client certificate
 * (a JDK server with wantClientAuth, {@code openssl s_server -verify 1}): a profile the agent
 * dropped would show here as a handshake that succeeds without a certificate. Each broken
 * profile's hosts must instead fail the handshake with its name and reason (mandatory), or go
 * without a certificate with a warning (optional); a good profile beside them still presents
 * its certificate. One child JVM per JDK and file format makes every call.
 */
class FailClosedAtStartIT {
    private static final List<String> STYLES = HttpsClientApp.INJECTION_STYLES;
    /** Bouncy Castle reports a certificate_unknown alert; our message is only its cause, not printed. */
    private static final String ALERT_ONLY_STYLE = "bouncycastle";

    @TempDir
    static Path directory;
    private static TestSetup setup;
    private static final StartedServers SERVERS = new StartedServers();
    private static final List<Expected> YAML_CASES = new ArrayList<>();
    private static final List<Expected> WSO2_CASES = new ArrayList<>();
    private static Path yaml;
    private static Path wso2Home;
    private static Path wso2;

    /** What one URL must give: the subject the server saw, or a failure naming these texts. */
    private static final class Expected {
        final String label;
        final TlsTestServer server;
        final String url;
        final String subject;
        final List<String> failure;

        private Expected(String label, TlsTestServer server, String url, String subject, List<String> failure) {
            this.label = label;
            this.server = server;
            this.url = url;
            this.subject = subject;
            this.failure = failure;
        }

        static Expected fails(String label, TlsTestServer server, String host, String... texts) {
            return new Expected(label, server, server.url(host, "/"), null, List.of(texts));
        }

        static Expected connects(String label, TlsTestServer server, String host, String subject) {
            return new Expected(label, server, server.url(host, "/"), subject, null);
        }

        @Override
        public String toString() {
            return label + ", " + server.kind() + " " + url.substring("https://".length(), url.length() - 1);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        setup = new TestSetup(directory);
        List<String> yamlLines = new ArrayList<>(List.of("version: 1", "profiles:"));
        List<String> wso2Lines = new ArrayList<>(List.of("<parameter name=\"customSSLProfiles\">"));
        wso2Home = Files.createDirectories(directory.resolve("wso2am"));
        for (int stack = 0; stack < 2; stack++) {
            TlsTestServer a = started(stack == 0 ? JdkTlsServer.askingForClientCertificate(setup.server, setup.ca)
                    : OpenSslServer.askingForClientCertificate(directory, setup.server, setup.ca));
            TlsTestServer b = started(stack == 0 ? JdkTlsServer.askingForClientCertificate(setup.server, setup.ca)
                    : OpenSslServer.askingForClientCertificate(directory, setup.server, setup.ca));
            TlsTestServer c = started(stack == 0 ? JdkTlsServer.askingForClientCertificate(setup.server, setup.ca)
                    : OpenSslServer.askingForClientCertificate(directory, setup.server, setup.ca));
            TlsTestServer d = started(stack == 0 ? JdkTlsServer.askingForClientCertificate(setup.server, setup.ca)
                    : OpenSslServer.askingForClientCertificate(directory, setup.server, setup.ca));
            String identity = "    identity: {certificate: " + setup.directory.resolve("client-chain.pem")
                    + ", key: " + setup.directory.resolve("client.key") + "}";
            String s = "-" + stack;
            yamlLines.addAll(List.of(
                    "  - name: typo" + s, "    hosts: [localhost:" + a.port() + "]", "    colour: blue", identity,
                    "  - name: relaxed" + s, "    hosts: [127.0.0.1:" + a.port() + "]", "    mode: optional",
                    "    identity: {certificate: " + setup.directory.resolve("client-chain.pem") + ", key: "
                            + setup.directory.resolve("client.key") + ", keyPassword: \"${env:MTLS_IT_UNSET}\"}",
                    "  - name: good" + s, "    hosts: [localhost:" + b.port() + "]", identity,
                    "  - name: taken" + s, "    hosts: [localhost:" + b.port() + ", 127.0.0.1:" + b.port() + "]",
                    identity,
                    "  - name: mixed" + s, "    hosts: [localhost:" + c.port() + ", \"bad*.example.com\"]", identity,
                    "  - name: unsure" + s, "    hosts: [127.0.0.1:" + c.port() + "]", "    mode: sometimes",
                    identity,
                    // Policy (docs/POLICY.md) only restricts: broken, it fails closed even when optional.
                    "  - name: pinned" + s, "    hosts: [localhost:" + d.port() + "]", "    mode: optional", identity,
                    "    trust: {pins: [\"sha256/not-a-pin\"]}",
                    "  - name: floor" + s, "    hosts: [127.0.0.1:" + d.port() + "]", "    mode: optional", identity,
                    "    tls: {minVersion: TLSv1.1}"));
            YAML_CASES.add(Expected.fails("unknown field, mandatory", a, "localhost", "profile 'typo" + s + "'",
                    "unknown field 'colour'"));
            YAML_CASES.add(Expected.connects("unset ${env:}, optional", a, "127.0.0.1", ServerReport.NONE));
            YAML_CASES.add(Expected.connects("good profile beside them", b, "localhost", TestSetup.CLIENT_SUBJECT));
            YAML_CASES.add(Expected.fails("other host of a profile with a taken pattern", b, "127.0.0.1",
                    "profile 'taken" + s + "'", "host pattern 'localhost:" + b.port()
                            + "' is already used by profile 'good" + s + "'"));
            YAML_CASES.add(Expected.fails("good host beside a bad pattern", c, "localhost", "profile 'mixed" + s + "'",
                    "bad host pattern 'bad*.example.com'"));
            YAML_CASES.add(Expected.fails("mode that does not read", c, "127.0.0.1", "profile 'unsure" + s + "'",
                    "mode must be mandatory or optional, not 'sometimes'"));
            YAML_CASES.add(Expected.fails("bad pin, optional", d, "localhost", "profile 'pinned" + s + "'",
                    "trust.pins 'sha256/not-a-pin' is not a pin"));
            YAML_CASES.add(Expected.fails("bad tls.minVersion, optional", d, "127.0.0.1", "profile 'floor" + s + "'",
                    "tls.minVersion must be TLSv1.2 or TLSv1.3, not 'TLSv1.1'"));
            // WSO2: an element its parser does not know, in an otherwise complete profile.
            wso2Lines.addAll(List.of("<profile><servers>localhost:" + a.port() + "</servers>",
                    "<SSLProtocol>TLSv1.2</SSLProtocol>",
                    "<KeyStore><Location>client.p12</Location><Password>x</Password></KeyStore></profile>"));
            WSO2_CASES.add(Expected.fails("unknown element", a, "localhost", "profile 'localhost_" + a.port() + "'",
                    "unknown element <SSLProtocol> in <profile>"));
        }
        wso2Lines.add("</parameter>");
        yaml = Files.write(directory.resolve("broken.yaml"), yamlLines);
        wso2 = Files.write(wso2Home.resolve("sslprofiles.xml"), wso2Lines);
    }

    private static TlsTestServer started(TlsTestServer server) {
        return SERVERS.add(server);
    }

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    @TestFactory
    Stream<DynamicContainer> yamlProfilesThatDoNotLoadFailClosed() {
        return ChildJvm.javaExecutables().map(java -> calls(ChildJvm.jdkName(java) + ", YAML",
                setup.trustingClient(ChildJvm.on(java)).agent("profiles=" + yaml), 16, YAML_CASES));
    }

    @TestFactory
    Stream<DynamicContainer> wso2ProfilesThatDoNotLoadFailClosed() {
        return ChildJvm.javaExecutables().map(java -> calls(ChildJvm.jdkName(java) + ", WSO2",
                setup.trustingClient(ChildJvm.on(java)).agent("profiles=" + wso2 + ",base=" + wso2Home), 2,
                WSO2_CASES));
    }

    /** Runs the child JVM when JUnit reaches the container, then one test per call it made. */
    private static DynamicContainer calls(String name, ChildJvm jvm, int profiles, List<Expected> cases) {
        return dynamicContainer(name, Stream.of(name).flatMap(unused -> {
            List<String> arguments = new ArrayList<>(List.of(String.join(",", STYLES)));
            for (Expected c : cases) {
                arguments.add(c.url);
            }
            ChildJvm.Result result;
            try {
                result = jvm.jvmArgument(OpenSslServer.CLIENT_JVM_ARGUMENT).withBouncyCastle()
                        .run(HttpsClientApp.class, arguments.toArray(new String[0]));
            } catch (Exception e) {
                throw new IllegalStateException("cannot run the child JVM", e);
            }
            Map<String, ClientCall> calls = ClientCall.parseAll(result.stdout);
            DynamicTest started = dynamicTest("the broken profiles are kept, reported, and the application runs on",
                    () -> {
                        assertEquals(0, result.exitCode, result.toString());
                        assertTrue(result.stderr.contains("mtls-agent: " + profiles + " profiles from "),
                                result.toString());
                        for (Expected c : cases) {
                            if (c.failure != null) {
                                assertTrue(result.stderr.contains(c.failure.get(0)), () -> c + ": " + result);
                            }
                        }
                    });
            Stream<DynamicTest> warned = cases == YAML_CASES ? Stream.of(dynamicTest(
                    "the optional profile's warning is logged", () -> assertTrue(result.stderr.contains(
                            "mtls-agent: profile 'relaxed-0' (optional) has no usable client certificate;"
                                    + " connecting to 127.0.0.1 without one: "), result.toString())))
                    : Stream.empty();
            return Stream.concat(Stream.concat(Stream.of(started), warned), STYLES.stream()
                    .flatMap(style -> cases.stream().map(c -> dynamicTest(style + ", " + c, () -> {
                        String where = name + ": " + style + ", " + c + "\n";
                        ClientCall call = calls.get(ClientCall.key(style, c.url));
                        assertNotNull(call, () -> where + "no result for this call: " + result.ending());
                        if (c.failure == null) {
                            assertTrue(call.succeeded(), () -> where + call + "\n" + result.ending());
                            ServerReport report = c.server.report(call.body());
                            assertNotNull(report, () -> where + call);
                            assertEquals(c.subject, report.clientSubject, () -> where + call);
                            return;
                        }
                        assertNotNull(call.failure(), () -> where + "must fail, but: " + call);
                        if (!style.equals(ALERT_ONLY_STYLE)) {
                            for (String text : c.failure) {
                                assertTrue(call.failure().contains(text), () -> where + "expected '" + text + "' in "
                                        + call);
                            }
                        }
                    }))));
        }));
    }
}
