package dev.mtls.reload;

import static dev.mtls.jsse.TestClients.exchange;
import static dev.mtls.jsse.TestClients.trusting;
import static dev.mtls.jsse.TestClients.wrapped;
import static dev.mtls.reload.ProfileFiles.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mtls.jsse.TestCerts;
import dev.mtls.sessions.WrappedContexts;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import dev.mtls.testing.TestTlsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A resumed session skips the trust manager, and with it every policy check. A reload that only
 * tightens a profile's {@code trust} checks or its {@code tls} block must therefore end the
 * sessions made under the old policy: the next connection is a full handshake, judged by the new one.
 */
class PolicyChangeResumptionTest {
    static final TestCertificate IDENTITY = client("policy-bot");
    private static TestTlsServer server;

    @TempDir
    Path dir;
    ProfileFiles files;
    final RecordingTarget target = new RecordingTarget();
    ProfileWatcher watcher;
    SSLContext client;

    @BeforeAll
    static void startServer() {
        server = TestTlsServer.wantClientAuth(TestCerts.SERVER, ProfileFiles.CA);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void watch() throws Exception {
        files = new ProfileFiles(dir);
        files.identity("payments", IDENTITY);
        TestPki.writePem(dir.resolve("backend-ca.pem"), TestCerts.SERVER_CA.certificate());
        watcher = ProfileWatcher.create(WatchSettings.of(files.profiles).reloadOption(Duration.ZERO).target(target)
                .log(new RecordingLog()));
        client = wrapped(null, trusting(TestCerts.SERVER_CA.certificate()), target::current);
    }

    @AfterEach
    void close() {
        watcher.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aPinAddedOnReloadRefusesTheNextConnectionInsteadOfResumingAnOldSession(String protocol) throws Exception {
        // As the agent's SSLContext hook does: the sweeper finds the contexts it wrapped.
        WrappedContexts.register(client);
        files.write(profile(""));
        watcher.reloadNow();
        exchange(client, "localhost", server.port(), protocol);
        assertEquals(IDENTITY.subject(), server.nextClientSubject());

        files.write(profile("      pins: [\"" + TestCerts.pin(TestCerts.OTHER_CA.certificate()) + "\"]\n"));
        assertEquals(List.of("payments"), watcher.reloadNow().changed());

        SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                () -> exchange(client, "localhost", server.port(), protocol));
        assertEquals("mtls-agent: profile 'payments': pins: ", failure.getMessage().substring(0, 38));
        assertEquals(TestTlsServer.FAILED, server.nextClientSubject());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void whatTheSweepPreventsAContextItCannotSeeResumesPastTheNewPin(String protocol) throws Exception {
        files.write(profile(""));
        watcher.reloadNow();
        exchange(client, "localhost", server.port(), protocol);
        server.nextClientSubject();

        files.write(profile("      pins: [\"" + TestCerts.pin(TestCerts.OTHER_CA.certificate()) + "\"]\n"));
        watcher.reloadNow();
        exchange(client, "localhost", server.port(), protocol);
        assertEquals(IDENTITY.subject(), server.nextClientSubject());
    }

    @Test
    void aMinimumVersionAddedOnReloadAppliesToHostsWithCachedSessions() throws Exception {
        WrappedContexts.register(client);
        files.write(profile(""));
        watcher.reloadNow();
        exchange(client, "localhost", server.port(), "TLSv1.2");
        assertEquals(IDENTITY.subject(), server.nextClientSubject());

        files.write(profile("").replace("    trust:", "    tls: {minVersion: TLSv1.3}\n    trust:"));
        assertEquals(List.of("payments"), watcher.reloadNow().changed());

        SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                () -> exchange(client, "localhost", server.port(), "TLSv1.2"));
        assertEquals("mtls-agent: profile 'payments': tls.minVersion: negotiated TLSv1.2",
                failure.getMessage().substring(0, 66));
        assertEquals(TestTlsServer.FAILED, server.nextClientSubject());
    }

    /** The profile for localhost with the backend CA, and {@code trustChecks} inside its trust block. */
    private static String profile(String trustChecks) {
        return ProfileFiles.profile("payments", "localhost")
                + "    trust:\n      certificates: backend-ca.pem\n" + trustChecks;
    }
}
