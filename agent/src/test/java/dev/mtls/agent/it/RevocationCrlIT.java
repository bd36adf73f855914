package dev.mtls.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.itapps.HttpsClientApp;
import dev.mtls.itapps.ListenerServersApp;
import dev.mtls.itapps.ResumingClientApp;
import dev.mtls.itapps.WaitingClientApp;
import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.OpenSslCa;
import dev.mtls.testing.OpenSslClient;
import dev.mtls.testing.OpenSslServer;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestCrl;
import dev.mtls.testing.TlsTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Revocation by CRL (docs/POLICY.md, "Revocation by CRL") with a CA run by {@code openssl ca}:
 * its index file, {@code -revoke} and {@code -gencrl}. Servers are {@code openssl s_server} and a
 * JDK HttpsServer with certificates from that CA; an unmodified client JVM's profile names the CA
 * and the CRL file. A revoked server certificate is refused with the profile's message, a good one
 * accepted; the CRL replaced while the client runs revokes and un-revokes within a reload, and a
 * session made before the revocation is not resumed after it; a listener refuses a revoked client certificate from {@code openssl s_client}, also where the
 * client tries to resume a session made before the revocation; bad CRL files are named.
 */
class RevocationCrlIT extends WithBackends {
    private static final String PROFILE = "crl-backend";
    /** What a call's outcome starts with when the server received the profile's client certificate. */
    private static final String RECEIVED = "ok, server received " + TestSetup.CLIENT_SUBJECT;

    private static OpenSslCa ca;
    private static TestCertificate good;
    private static TestCertificate revoked;
    private static TestCertificate flapping;
    private static Path crl;
    private static OpenSslServer opensslGood;
    private static OpenSslServer opensslRevoked;
    private static JdkTlsServer jdkRevoked;
    private static JdkTlsServer jdkFlapping;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServers() {
        ca = OpenSslCa.create(directory.resolve("openssl-ca"), "mtls-agent CRL IT CA");
        good = ca.issueServer("good-backend", "localhost", "127.0.0.1");
        revoked = ca.issueServer("revoked-backend", "localhost", "127.0.0.1");
        flapping = ca.issueServer("flapping-backend", "localhost", "127.0.0.1");
        ca.revoke(revoked, "keyCompromise");
        crl = ca.writeCrl(directory.resolve("backend-ca.crl"));
        opensslGood = OpenSslServer.requiringClientCertificate(directory, good, setup.ca);
        opensslRevoked = OpenSslServer.requiringClientCertificate(directory, revoked, setup.ca);
        jdkRevoked = JdkTlsServer.requiringClientCertificate(revoked, setup.ca);
        // Closing each connection: ResumingClientApp reads each answer to its end.
        jdkFlapping = JdkTlsServer.requiring(flapping, setup.ca).closingEachConnection().start();
    }

    @AfterAll
    static void stopServers() {
        for (TlsTestServer server : new TlsTestServer[] {opensslGood, opensslRevoked, jdkRevoked, jdkFlapping}) {
            if (server != null) {
                server.close();
            }
        }
    }

    static Stream<Path> testJdk() {
        return jdks().limit(1);
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void revokedServerCertificateIsRefusedWithTheProfilesMessageAndGoodOneAccepted(Path java) throws Exception {
        Path profiles = profiles(dir, "crl: " + crl);
        List<TlsTestServer> servers = List.of(opensslGood, opensslRevoked, jdkRevoked, jdkFlapping);
        List<String> arguments = new ArrayList<>(List.of("urlconnection"));
        for (TlsTestServer server : servers) {
            arguments.add(server.url("localhost", "/crl"));
        }
        ChildJvm.Result result = client(java, "profiles=" + profiles)
                .run(HttpsClientApp.class, arguments.toArray(new String[0]));

        Map<String, ClientCall> calls = ClientCall.parseAll(result.stdout);
        assertThat(outcome(calls, opensslGood)).as(result.toString()).startsWith(RECEIVED);
        assertThat(outcome(calls, jdkFlapping)).as(result.toString()).startsWith(RECEIVED);
        for (TlsTestServer server : List.of(opensslRevoked, jdkRevoked)) {
            assertThat(outcome(calls, server)).as(server.kind() + "\n" + result).matches(
                    // JDK 25 puts the alert it sent before the message.
                    "javax\\.net\\.ssl\\.SSLHandshakeException: (\\(certificate_unknown\\) )?mtls-agent: profile '"
                            + PROFILE + "': revocation check: the certificate CN=revoked-backend is revoked \\(CRL "
                            + Pattern.quote(crl.toString())
                            + ", revoked on \\d{4}-\\d\\d-\\d\\dT[0-9:]+Z, reason keyCompromise\\)");
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void replacedCrlRevokesAndUnrevokesWithinAReloadWhileTheClientRuns(Path java) throws Exception {
        Path ownCrl = ca.writeCrl(dir.resolve("flapping.crl"));
        Path profiles = profiles(dir, "crl: " + ownCrl);
        String url = jdkFlapping.url("localhost", "/flapping");
        try (ChildJvm.Running app = client(java, "profiles=" + profiles + ",reload=200ms")
                .start(WaitingClientApp.class)) {
            app.awaitLine("ready", 1);
            app.send(url);
            app.awaitLine("done", 1);

            writeCrlRevokingFlapping(ownCrl, "superseded");
            app.awaitStderr("reloaded " + profiles, 1);
            app.send(url);
            app.awaitLine("done", 2);

            ca.writeCrl(ownCrl);
            app.awaitStderr("reloaded " + profiles, 2);
            app.send(url);
            app.awaitLine("done", 3);
            app.send("");
            ChildJvm.Result result = app.finish();

            List<String> outcomes = outcomes(result.stdout);
            assertThat(outcomes).as(result.toString()).hasSize(3);
            assertThat(outcomes.get(0)).as("before: good").startsWith("ok ");
            assertThat(outcomes.get(1)).as("revoked by the replaced CRL").contains("mtls-agent: profile '" + PROFILE
                    + "': revocation check: the certificate CN=flapping-backend is revoked (CRL " + ownCrl)
                    .contains("reason superseded");
            assertThat(outcomes.get(2)).as("un-revoked by the next CRL").startsWith("ok ");
            assertThat(result.stderr).contains("reloaded " + profiles + " (generation 2): added [], changed ["
                    + PROFILE + "]");
        }
    }

    /**
     * A resumed session skips the trust manager: after the CRL that revokes the server is loaded,
     * the client's next connection must not resume the session made before, but handshake in full
     * and be refused.
     */
    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void sessionMadeBeforeTheRevocationIsNotResumedAfterTheReload(Path java) throws Exception {
        Path ownCrl = ca.writeCrl(dir.resolve("resumed.crl"));
        Path profiles = profiles(dir, "crl: " + ownCrl);
        try (ChildJvm.Running app = client(java, "profiles=" + profiles + ",reload=200ms")
                .start(ResumingClientApp.class, jdkFlapping.url("localhost", "/resumed"))) {
            app.awaitLine("handshaken", 1);
            writeCrlRevokingFlapping(ownCrl, "keyCompromise");
            app.awaitStderr("reloaded " + profiles, 1);
            app.send("go");
            ChildJvm.Result result = app.finish();

            // Each step prints "STEP resumed|full" and the server's page (several lines).
            List<String> steps = result.stdout.lines().filter(line -> line.matches("(first|second|third) .*"))
                    .map(line -> line.substring(0, line.indexOf(' ', line.indexOf(' ') + 1)))
                    .collect(Collectors.toList());
            assertThat(steps).as(result.toString()).containsExactly("first full", "second resumed");
            assertThat(result.exitCode).isEqualTo(1);
            assertThat(result.stderr).as("the third connection, after the reload, is refused")
                    .contains("mtls-agent: profile '" + PROFILE + "': revocation check: the certificate"
                            + " CN=flapping-backend is revoked (CRL " + ownCrl);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void listenerRefusesRevokedClientCertificateAlsoWhenItTriesToResume(Path java) throws Exception {
        TestCertificate goodClient = ca.issueClient("good-client-" + jdk(java));
        TestCertificate revokedClient = ca.issueClient("revoked-client-" + jdk(java));
        TestCertificate resuming = ca.issueClient("resuming-client-" + jdk(java));
        ca.revoke(revokedClient, "keyCompromise");
        Path listenerCrl = ca.writeCrl(dir.resolve("clients.crl"));
        int port = ListenerIT.freePort();
        Path file = Files.write(dir.resolve("listeners.yaml"), List.of(
                "version: 1",
                "reload: 200ms",
                "listeners:",
                "  - name: api",
                "    ports: [" + port + "]",
                "    clientAuth: mandatory",
                "    trust:",
                "      certificates: " + ca.certificateFile(),
                "      revocation:",
                "        crl: [" + listenerCrl + "]"));
        Path keyStore = good.writeKeyStore(dir.resolve("app.p12"), "PKCS12", "changeit", "changeit", "app");
        try (ChildJvm.Running app = ChildJvm.on(java).agent("profiles=" + file)
                .jvmArgument("-Ditapp.keyStore=" + keyStore).start(ListenerServersApp.class, "socket:" + port)) {
            app.awaitLine("listening", 1);
            Path session = dir.resolve("resuming.session");

            OpenSslClient.Result admitted = OpenSslClient.tls(dir, "tls1_2").certificate(goodClient, "good")
                    .call(port, OpenSslClient.LINE);
            OpenSslClient.Result refused = OpenSslClient.tls(dir, "tls1_2").certificate(revokedClient, "revoked")
                    .call(port, OpenSslClient.LINE);
            OpenSslClient.Result before = OpenSslClient.tls(dir, "tls1_2").certificate(resuming, "resuming")
                    .savingSession(session).call(port, OpenSslClient.LINE);
            ca.revoke(resuming, "affiliationChanged");
            ca.writeCrl(listenerCrl);
            app.awaitStderr("reloaded " + file, 1);
            OpenSslClient.Result after = OpenSslClient.tls(dir, "tls1_2").certificate(resuming, "resuming")
                    .resuming(session).call(port, OpenSslClient.LINE);
            app.send("counts");
            app.awaitLine("counted", 1);

            assertThat(admitted.answer()).as(admitted.toString()).isEqualTo("client: " + goodClient.subject());
            assertThat(refused.answer()).as(refused.toString()).isNull();
            assertThat(before.answer()).as(before.toString()).isEqualTo("client: " + resuming.subject());
            assertThat(after.resumed()).as("a session made before the revocation does not resume\n" + after)
                    .isFalse();
            assertThat(after.answer()).as(after.toString()).isNull();
            assertThat(app.stderr()).contains("mtls-agent: listener 'api': revocation check: the certificate "
                    + revokedClient.subject() + " is revoked (CRL " + listenerCrl + ", revoked on ")
                    .contains(", reason keyCompromise) (client 127.0.0.1)");
            // The second refusal is counted, not logged again: one line per listener, reason and client address.
            assertThat(app.stdout()).contains("counts api accepted=2 acceptedWithoutCertificate=0 refused={revoked=2}");
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("testJdk")
    void badCrlFilesAreNamedAndFailTheProfileClosed(Path java) throws Exception {
        Path missing = dir.resolve("missing.crl");
        Path notCrl = ca.certificateFile();
        Path stale = TestCrl.by(ca.certificate()).stale().writePem(dir.resolve("stale.crl"));
        String url = opensslGood.url("localhost", "/bad-crl");

        ChildJvm.Result missingRun = callOnce(java, url, "missing", "crl: " + missing);
        ChildJvm.Result notCrlRun = callOnce(java, url, "not-crl", "crl: " + notCrl);
        ChildJvm.Result staleRun = callOnce(java, url, "stale", "crl: " + stale);
        ChildJvm.Result allowRun = callOnce(java, url, "allow", "crl: " + stale, "onUnknown: allow");

        assertThat(onlyOutcome(missingRun)).as(missingRun.toString()).contains("mtls-agent: profile '" + PROFILE
                + "' cannot check its servers as configured: " + missing + ": missing file");
        assertThat(missingRun.stderr).contains("profile '" + PROFILE + "': " + missing + ": missing file");
        assertThat(onlyOutcome(notCrlRun)).as(notCrlRun.toString()).contains(notCrl
                + ": not a CRL (expected PEM -----BEGIN X509 CRL----- or DER)");
        assertThat(staleRun.stderr).as(staleRun.toString()).contains("profile '" + PROFILE + "': CRL " + stale
                + " (issuer CN=mtls-agent CRL IT CA) is past its nextUpdate ");
        assertThat(onlyOutcome(staleRun)).as(staleRun.toString()).contains("mtls-agent: profile '" + PROFILE
                + "': revocation check: revocation status of CN=good-backend is unknown (CRL " + stale
                + ": the CRL is past its nextUpdate ").endsWith("); refused (onUnknown: fail)");
        assertThat(onlyOutcome(allowRun)).as(allowRun.toString()).startsWith(RECEIVED);
        assertThat(allowRun.stderr).contains("profile '" + PROFILE + "': revocation status of CN=good-backend is"
                + " unknown").contains("; let through (onUnknown: allow)");
    }

    /**
     * Writes a CRL that lists the flapping server's certificate, and leaves it valid in the CA's
     * index: the CA is shared by the tests and their runs on each JDK, and the next CRL it writes
     * un-revokes it.
     */
    private static void writeCrlRevokingFlapping(Path file, String reason) {
        ca.revoke(flapping, reason);
        try {
            ca.writeCrl(file);
        } finally {
            ca.unrevoke(flapping);
        }
    }

    /** One call to {@code url} from a client JVM whose profile (in its own folder) has these revocation fields. */
    private ChildJvm.Result callOnce(Path java, String url, String folder, String... revocation) throws Exception {
        Path profiles = profiles(Files.createDirectories(dir.resolve(folder)), revocation);
        return client(java, "profiles=" + profiles).run(HttpsClientApp.class, "urlconnection", url);
    }

    private static ChildJvm client(Path java, String agentOptions) {
        return setup.trustingClient(ChildJvm.on(java)).agent(agentOptions)
                .jvmArgument(OpenSslServer.CLIENT_JVM_ARGUMENT);
    }

    /** The profile for localhost: the IT client's identity, the openssl CA as trust, these revocation fields. */
    private static Path profiles(Path folder, String... revocation) {
        List<String> lines = new ArrayList<>(List.of(
                "version: 1",
                "profiles:",
                "  - name: " + PROFILE,
                "    hosts: [localhost]",
                "    identity:",
                "      certificate: " + directory.resolve("client-chain.pem"),
                "      key: " + directory.resolve("client.key"),
                "    trust:",
                "      certificates: " + ca.certificateFile(),
                "      revocation:"));
        for (String field : revocation) {
            lines.add("        " + field);
        }
        try {
            return Files.write(folder.resolve("profiles.yaml"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String outcome(Map<String, ClientCall> calls, TlsTestServer server) {
        ClientCall call = calls.get(ClientCall.key("urlconnection", server.url("localhost", "/crl")));
        return call == null ? "no call" : call.outcomeAt(server);
    }

    private static String onlyOutcome(ChildJvm.Result result) {
        Map<String, ClientCall> calls = ClientCall.parseAll(result.stdout);
        if (calls.size() != 1) {
            return "calls: " + calls.values();
        }
        ClientCall call = calls.values().iterator().next();
        return call.succeeded() ? "ok, " + opensslGood.report(call.body()) : call.failure();
    }

    /** Every call's outcome in order (the same URL called again is a line of its own). */
    private static List<String> outcomes(String stdout) {
        List<String> outcomes = new ArrayList<>();
        for (String line : stdout.split("\\R")) {
            if (line.startsWith("result\t")) {
                outcomes.add(line.substring(line.lastIndexOf('\t') + 1));
            }
        }
        return outcomes;
    }

    private static String jdk(Path java) {
        return ChildJvm.jdkName(java).replaceAll("[^A-Za-z0-9]", "");
    }

}
