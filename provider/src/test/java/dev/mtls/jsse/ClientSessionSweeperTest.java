package dev.mtls.jsse;

import static dev.mtls.jsse.Profiles.profile;
import static dev.mtls.jsse.TestCerts.APP_CLIENT;
import static dev.mtls.jsse.TestCerts.NEW_PROFILE_EC;
import static dev.mtls.jsse.TestCerts.PROFILE_EC;
import static dev.mtls.jsse.TestCerts.SERVER;
import static dev.mtls.jsse.TestCerts.SERVER_CA;
import static dev.mtls.jsse.TestClients.exchange;
import static dev.mtls.jsse.TestClients.trusting;
import static dev.mtls.jsse.TestClients.wrapped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.profile.ProfileSnapshot;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real server that requires a client certificate and reports the subject it received; the
 * client caches sessions as any application would. "localhost" matches the profile, "127.0.0.1"
 * (the same server) does not.
 */
class ClientSessionSweeperTest {
    private final AtomicReference<ProfileSnapshot> profiles = new AtomicReference<>(
            Profiles.snapshot(1, profile("payments", "localhost").identity(PROFILE_EC).build()));

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void withoutASweepAResumedSessionKeepsPresentingTheOldCertificate(String protocol) throws Exception {
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), profiles::get);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER)) {
            exchange(client, "localhost", server.port(), protocol);
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());

            rotateTo(NEW_PROFILE_EC);
            exchange(client, "localhost", server.port(), protocol);

            // Why the sweeper exists: resumption skipped the key manager.
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void nextConnectionAfterASweepPresentsTheRotatedCertificate(String protocol) throws Exception {
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), profiles::get);
        ClientSessionSweeper sweeper = sweeperOf(client);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER)) {
            exchange(client, "localhost", server.port(), protocol);
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
            ProfileSnapshot before = profiles.get();

            rotateTo(NEW_PROFILE_EC);
            assertTrue(sweeper.sweepAfterSwap(before, profiles.get(), Set.of("payments")) > 0);
            exchange(client, "localhost", server.port(), protocol);

            assertEquals(NEW_PROFILE_EC.subject(), server.nextClientSubject());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void tickSweepAloneCatchesASessionWithTheOldCertificate(String protocol) throws Exception {
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), profiles::get);
        ClientSessionSweeper sweeper = sweeperOf(client);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER)) {
            exchange(client, "localhost", server.port(), protocol);
            server.nextClientSubject();

            rotateTo(NEW_PROFILE_EC);
            assertTrue(sweeper.sweep(profiles.get()) > 0);
            exchange(client, "localhost", server.port(), protocol);
            assertEquals(NEW_PROFILE_EC.subject(), server.nextClientSubject());

            // Sessions made with the current certificate are worth keeping.
            assertEquals(0, sweeper.sweep(profiles.get()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void sessionWithTheApplicationsOwnCertificateForAHostWithoutProfileSurvives(String protocol) throws Exception {
        SSLContext client = wrapped(TestClients.ownKeys(APP_CLIENT), trusting(SERVER_CA.certificate()),
                profiles::get);
        ClientSessionSweeper sweeper = sweeperOf(client);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER)) {
            exchange(client, "127.0.0.1", server.port(), protocol);
            assertEquals(APP_CLIENT.subject(), server.nextClientSubject());
            List<SSLSession> cached = sessions(client.getClientSessionContext());
            assertTrue(!cached.isEmpty());
            ProfileSnapshot before = profiles.get();

            rotateTo(NEW_PROFILE_EC);
            sweeper.sweepAfterSwap(before, profiles.get(), Set.of("payments"));
            sweeper.sweep(profiles.get());

            assertTrue(cached.stream().allMatch(SSLSession::isValid));
            assertEquals(cached.size(), sessions(client.getClientSessionContext()).size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void sessionWithAProfileCertificateIsDroppedOnceTheProfileIsRemoved(String protocol) throws Exception {
        SSLContext client = wrapped(TestClients.ownKeys(APP_CLIENT), trusting(SERVER_CA.certificate()),
                profiles::get);
        ClientSessionSweeper sweeper = sweeperOf(client);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER)) {
            sweeper.sweep(profiles.get());
            exchange(client, "localhost", server.port(), protocol);
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());

            profiles.set(Profiles.snapshot(2));
            assertTrue(sweeper.sweep(profiles.get()) > 0);
            exchange(client, "localhost", server.port(), protocol);

            // The host is the application's again: its own key manager answers.
            assertEquals(APP_CLIENT.subject(), server.nextClientSubject());
        }
    }

    private void rotateTo(dev.mtls.testing.TestCertificate identity) {
        long next = profiles.get().generation() + 1;
        profiles.set(Profiles.snapshot(next, profile("payments", "localhost").identity(identity).build()));
    }

    private static ClientSessionSweeper sweeperOf(SSLContext client) {
        return new ClientSessionSweeper(() -> List.of(client), Clock.systemUTC());
    }

    private static List<SSLSession> sessions(SSLSessionContext context) {
        List<SSLSession> sessions = new java.util.ArrayList<>();
        for (byte[] id : Collections.list(context.getIds())) {
            SSLSession session = context.getSession(id);
            if (session != null) {
                sessions.add(session);
            }
        }
        return sessions;
    }
}
