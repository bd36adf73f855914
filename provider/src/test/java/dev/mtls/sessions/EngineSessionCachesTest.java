package dev.mtls.sessions;

import static dev.mtls.jsse.Profiles.profile;
import static dev.mtls.jsse.TestCerts.NEW_PROFILE_EC;
import static dev.mtls.jsse.TestCerts.PROFILE_EC;
import static dev.mtls.jsse.TestCerts.SERVER;
import static dev.mtls.jsse.TestCerts.SERVER_CA;
import static dev.mtls.jsse.TestClients.trusting;
import static dev.mtls.jsse.TestClients.wrapped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.jsse.Profiles;
import dev.mtls.jsse.TestCerts;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.testing.TestTlsServer;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import org.junit.jupiter.api.Test;

/**
 * An engine handshake that presents a profile's certificate records it on the session and
 * remembers the session's cache, which the sweeper then sweeps along with the contexts' (here it is
 * also the cache of the context swept, as a SunJSSE engine's is). Netty's OpenSSL engine, whose
 * cache only this finds, is covered end to end by NettyRotationIT in the examples module.
 */
class EngineSessionCachesTest {
    private final AtomicReference<ProfileSnapshot> profiles = new AtomicReference<>(
            Profiles.snapshot(1, profile("payments", "localhost").identity(PROFILE_EC).build()));

    @Test
    void engineHandshakeRecordsThePresentedCertificateAndItsCacheIsSwept() throws Exception {
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), profiles::get);
        SSLEngine clientEngine = client.createSSLEngine("localhost", 8443);
        clientEngine.setUseClientMode(true);
        SSLEngine serverEngine = TestTlsServer.serverContext(SERVER, TestCerts.CLIENT_CA.certificate())
                .createSSLEngine();
        serverEngine.setUseClientMode(false);
        serverEngine.setNeedClientAuth(true);

        handshake(clientEngine, serverEngine);

        SSLSession session = clientEngine.getSession();
        assertEquals(PROFILE_EC.certificate(), session.getValue(EngineSessionCaches.PRESENTED));
        assertEquals(PROFILE_EC.certificate(), EngineSessionCaches.presentedIn(session));
        SSLSessionContext cache = client.getClientSessionContext();
        assertTrue(EngineSessionCaches.live().stream().anyMatch(known -> known == cache));

        ClientSessionSweeper sweeper = new ClientSessionSweeper(() -> List.of(client), Clock.systemUTC());
        profiles.set(Profiles.snapshot(2, profile("payments", "localhost").identity(NEW_PROFILE_EC).build()));
        assertTrue(sweeper.sweep(profiles.get()) > 0);
        // Neither the handshake's session nor a TLS 1.3 ticket's copy of it can be resumed with the old certificate.
        for (byte[] id : Collections.list(cache.getIds())) {
            SSLSession left = cache.getSession(id);
            assertTrue(left == null || !left.isValid()
                    || !PROFILE_EC.certificate().equals(EngineSessionCaches.presentedIn(left)));
        }
    }

    /** Runs both engines against each other in memory until neither has anything left to do. */
    private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
        int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(size);
        ByteBuffer toClient = ByteBuffer.allocate(size);
        ByteBuffer application = ByteBuffer.allocate(
                Math.max(client.getSession().getApplicationBufferSize(), server.getSession().getApplicationBufferSize()));
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int step = 0; step < 1000 && !(done(client) && done(server)); step++) {
            pass(client, server, toServer, application, empty);
            pass(server, client, toClient, application, empty);
        }
        assertTrue(done(client) && done(server), "the handshake did not finish");
    }

    /** What one engine has to send, received by the other. */
    private static void pass(SSLEngine from, SSLEngine to, ByteBuffer wire, ByteBuffer application, ByteBuffer empty)
            throws Exception {
        from.wrap(empty, wire);
        runTasks(from);
        wire.flip();
        to.unwrap(wire, application);
        wire.compact();
        runTasks(to);
        application.clear();
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }
}
