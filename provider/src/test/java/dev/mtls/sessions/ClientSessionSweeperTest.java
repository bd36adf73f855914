package dev.mtls.sessions;

import static dev.mtls.jsse.Profiles.profile;
import static dev.mtls.jsse.TestCerts.APP_CLIENT;
import static dev.mtls.jsse.TestCerts.NEW_PROFILE_EC;
import static dev.mtls.jsse.TestCerts.PROFILE_EC;
import static dev.mtls.jsse.TestCerts.SERVER;
import static dev.mtls.jsse.TestCerts.SERVER_CA;
import static dev.mtls.jsse.TestClients.exchange;
import static dev.mtls.jsse.TestClients.exchangeLayered;
import static dev.mtls.jsse.TestClients.trusting;
import static dev.mtls.jsse.TestClients.wrapped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.jsse.Profiles;
import dev.mtls.jsse.TestCerts;
import dev.mtls.jsse.TestClients;
import dev.mtls.profile.RevocationSpec;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.testing.TestCrl;
import dev.mtls.testing.TestTlsServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
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
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
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
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
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
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
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
    void sessionOfALayeredSocketRoutedByItsServerNameIsKeptWhileItsCertificateIsCurrent(String protocol)
            throws Exception {
        profiles.set(Profiles.snapshot(1, profile("db", "db.internal").identity(PROFILE_EC).build()));
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), profiles::get);
        ClientSessionSweeper sweeper = sweeperOf(client);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchangeLayered(client, "127.0.0.1", server.port(), "db.internal", protocol);
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());

            // Judged by the name it was routed by, not by the address: its certificate is the current one.
            assertEquals(0, sweeper.sweep(profiles.get()));

            profiles.set(Profiles.snapshot(2, profile("db", "db.internal").identity(NEW_PROFILE_EC).build()));
            assertTrue(sweeper.sweep(profiles.get()) > 0);
            exchangeLayered(client, "127.0.0.1", server.port(), "db.internal", protocol);
            assertEquals(NEW_PROFILE_EC.subject(), server.nextClientSubject());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void sessionWithTheApplicationsOwnCertificateForAHostWithoutProfileSurvives(String protocol) throws Exception {
        SSLContext client = wrapped(TestClients.ownKeys(APP_CLIENT), trusting(SERVER_CA.certificate()),
                profiles::get);
        ClientSessionSweeper sweeper = sweeperOf(client);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
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
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
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

    @Test
    void aTicketArrivingAfterTheSweepPutsTheOldCertificateBackButMayNotBeResumed() throws Exception {
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), profiles::get);
        ClientSessionSweeper sweeper = sweeperOf(client);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchange(client, "localhost", server.port(), "TLSv1.3");
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());

            try (SSLSocket resuming = handshakeWithoutReading(client, server.port())) {
                ProfileSnapshot before = profiles.get();
                rotateTo(NEW_PROFILE_EC);
                sweeper.sweepAfterSwap(before, profiles.get(), Set.of("payments"));
                // Only now does the connection read the ticket the server sent when it resumed.
                readReply(resuming);
            }
            server.nextClientSubject();

            List<SSLSession> stale = sessionsPresenting(client, PROFILE_EC.certificate());
            assertTrue(!stale.isEmpty(), "the ticket's session carries the certificate of the session it resumed");
            assertTrue(stale.stream().allMatch(SSLSession::isValid), "the sweep ran before the ticket came");
            for (SSLSession session : stale) {
                assertFalse(sweeper.mayResume(session, profiles.get()));
                assertFalse(session.isValid());
            }
        }
    }

    @Test
    void aSessionMadeBeforeItsProfileChangedMayNotBeResumedEvenWithTheSameCertificate() throws Exception {
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), profiles::get);
        ClientSessionSweeper sweeper = sweeperOf(client);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchange(client, "localhost", server.port(), "TLSv1.3");
            server.nextClientSubject();
            try (SSLSocket resuming = handshakeWithoutReading(client, server.port())) {
                // Same identity, something else changed (its trust anchors, say): a resumed session would skip that too.
                ProfileSnapshot before = profiles.get();
                rotateTo(PROFILE_EC);
                sweeper.sweepAfterSwap(before, profiles.get(), Set.of("payments"));
                readReply(resuming);
            }
            server.nextClientSubject();
            List<SSLSession> older = sessionsPresenting(client, PROFILE_EC.certificate());
            assertTrue(!older.isEmpty());

            assertTrue(older.stream().noneMatch(session -> sweeper.mayResume(session, profiles.get())));
            exchange(client, "localhost", server.port(), "TLSv1.3");
            server.nextClientSubject();
            List<SSLSession> newer = sessionsPresenting(client, PROFILE_EC.certificate());
            assertTrue(!newer.isEmpty());
            assertTrue(newer.stream().allMatch(session -> sweeper.mayResume(session, profiles.get())),
                    "a session made after the change is as good as it gets");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aSessionMadeBeforeItsProfilesCrlWentPastItsNextUpdateMayNotBeResumed(String protocol) throws Exception {
        // The profile checks the server by a CRL due tomorrow; the sweeper's clock is two days ahead.
        X509CRL crl = TestCrl.by(SERVER_CA).create();
        profiles.set(Profiles.snapshot(2, profile("payments", "localhost").identity(PROFILE_EC)
                .trust(SERVER_CA.certificate()).checks(new RevocationSpec(List.of(Path.of("payments-0.crl")), false,
                        null, RevocationSpec.OnUnknown.FAIL, RevocationSpec.Scope.LEAF), List.of(), List.of())
                .revocationLists(crl).build()));
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), profiles::get);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchange(client, "localhost", server.port(), protocol);
            List<SSLSession> cached = sessionsPresenting(client, PROFILE_EC.certificate());
            assertTrue(!cached.isEmpty());
            assertTrue(cached.stream().allMatch(session -> sweeperOf(client).mayResume(session, profiles.get())),
                    "while the CRL is current its sessions resume");

            ClientSessionSweeper later = new ClientSessionSweeper(() -> List.of(client),
                    Clock.offset(Clock.systemUTC(), Duration.ofDays(2)));
            assertTrue(cached.stream().noneMatch(session -> later.mayResume(session, profiles.get())),
                    "once the CRL is past its nextUpdate, a session checked against it may not skip the check");
            exchange(client, "localhost", server.port(), protocol);
            assertTrue(later.sweep(profiles.get()) > 0, "the tick's sweep ends them too");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void mayResumeLeavesSessionsWithoutAProfileCertificateAlone(String protocol) throws Exception {
        // A context the agent did not wrap (initialised before a late attach): refusing its sessions
        // for a profile's host would only make it do the same full handshake on every connection.
        SSLContext unwrapped = TestClients.plain(TestClients.ownKeys(APP_CLIENT), trusting(SERVER_CA.certificate()));
        ClientSessionSweeper sweeper = sweeperOf(unwrapped);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchange(unwrapped, "localhost", server.port(), protocol);
            exchange(unwrapped, "127.0.0.1", server.port(), protocol);
            List<SSLSession> cached = sessions(unwrapped.getClientSessionContext());
            assertTrue(cached.size() >= 2);

            assertTrue(cached.stream().allMatch(session -> sweeper.mayResume(session, profiles.get())));
            assertTrue(cached.stream().allMatch(SSLSession::isValid));
        }
    }

    private static SSLSocket handshakeWithoutReading(SSLContext client, int port) throws Exception {
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", port);
        socket.setSoTimeout(10_000);
        socket.setEnabledProtocols(new String[] {"TLSv1.3"});
        socket.startHandshake();
        return socket;
    }

    private static void readReply(SSLSocket socket) throws Exception {
        assertEquals("ok", new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.US_ASCII)).readLine());
    }

    private static List<SSLSession> sessionsPresenting(SSLContext client, Certificate leaf) {
        List<SSLSession> presenting = new ArrayList<>();
        for (SSLSession session : sessions(client.getClientSessionContext())) {
            Certificate[] local = session.getLocalCertificates();
            if (session.isValid() && local != null && local.length > 0 && local[0].equals(leaf)) {
                presenting.add(session);
            }
        }
        return presenting;
    }

    private void rotateTo(dev.mtls.testing.TestCertificate identity) {
        long next = profiles.get().generation() + 1;
        profiles.set(Profiles.snapshot(next, profile("payments", "localhost").identity(identity).build()));
    }

    private static ClientSessionSweeper sweeperOf(SSLContext client) {
        return new ClientSessionSweeper(() -> List.of(client), Clock.systemUTC());
    }

    private static List<SSLSession> sessions(SSLSessionContext context) {
        List<SSLSession> sessions = new ArrayList<>();
        for (byte[] id : Collections.list(context.getIds())) {
            SSLSession session = context.getSession(id);
            if (session != null) {
                sessions.add(session);
            }
        }
        return sessions;
    }
}
