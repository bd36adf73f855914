package dev.mtls.jsse;

import static dev.mtls.jsse.Profiles.profile;
import static dev.mtls.jsse.Profiles.snapshot;
import static dev.mtls.jsse.TestCerts.PROFILE_EC;
import static dev.mtls.jsse.TestCerts.SERVER;
import static dev.mtls.jsse.TestCerts.SERVER_CA;
import static dev.mtls.jsse.TestClients.exchange;
import static dev.mtls.jsse.TestClients.trusting;
import static dev.mtls.jsse.TestClients.wrapped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.profile.ProfileSnapshot;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent loads its profiles beside the application's start: a handshake that comes first
 * must wait for them and then present the profile's certificate, never go out without it.
 */
class FirstLoadTest {
    private GlobalJsseState state;
    private final ExecutorService handshakes = Executors.newSingleThreadExecutor();

    @BeforeEach
    void capture() {
        state = new GlobalJsseState();
        ActiveProfiles.publish(snapshot(7));
    }

    @AfterEach
    void restore() {
        ActiveProfiles.endFirstLoad();
        handshakes.shutdownNow();
        state.restore();
    }

    @Test
    void aHandshakeBeforeTheFirstLoadWaitsForItAndPresentsTheProfilesCertificate() throws Exception {
        Thread loader = new Thread(() -> { }, "loader");
        ActiveProfiles.expectFirstLoad(loader, 60_000);
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), ActiveProfiles.source());
        AtomicReference<Thread> handshakeThread = new AtomicReference<>();

        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER)) {
            Future<?> handshake = handshakes.submit(() -> {
                handshakeThread.set(Thread.currentThread());
                exchange(client, "localhost", server.port(), "TLSv1.3");
                return null;
            });
            awaitWaiting(handshakeThread);
            ActiveProfiles.publish(snapshot(8, profile("payments", "localhost").identity(PROFILE_EC).build()));
            handshake.get(30, TimeUnit.SECONDS);

            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
        }
    }

    @Test
    void theLoadingThreadItselfNeverWaits() throws Exception {
        ProfileSnapshot before = ActiveProfiles.current();
        CompletableFuture<ProfileSnapshot> seenByLoader = new CompletableFuture<>();
        Thread loader = new Thread(() -> seenByLoader.complete(ActiveProfiles.current()), "loader");
        ActiveProfiles.expectFirstLoad(loader, 60_000);

        loader.start();

        assertSame(before, seenByLoader.get(30, TimeUnit.SECONDS));
    }

    @Test
    void pastTheBoundHandshakesGoOnWithoutProfilesUntilTheyArrive() throws Exception {
        ProfileSnapshot before = ActiveProfiles.current();
        Thread neverStarted = new Thread(() -> { }, "hung loader");
        ActiveProfiles.expectFirstLoad(neverStarted, 50);
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), ActiveProfiles.source());

        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER)) {
            exchange(client, "localhost", server.port(), "TLSv1.3");
            assertEquals(TestTlsServer.NONE, server.nextClientSubject());
            assertSame(before, ActiveProfiles.current());

            ActiveProfiles.publish(snapshot(8, profile("payments", "localhost").identity(PROFILE_EC).build()));
            // A new context: this one's cached session (no certificate) is the agent's resumption check's business.
            SSLContext later = wrapped(null, trusting(SERVER_CA.certificate()), ActiveProfiles.source());
            exchange(later, "localhost", server.port(), "TLSv1.3");
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
        }
    }

    /** Until the handshake thread is parked in the first-load wait (not merely somewhere in the handshake). */
    private static void awaitWaiting(AtomicReference<Thread> thread) throws InterruptedException {
        for (int i = 0; i < 30_000; i++) {
            Thread current = thread.get();
            if (current != null && current.getState() == Thread.State.TIMED_WAITING && inFirstLoadWait(current)) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the handshake never waited for the first load");
    }

    private static boolean inFirstLoadWait(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(FirstLoad.class.getName())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyPublishReleasesTheWait() {
        ActiveProfiles.expectFirstLoad(new Thread(() -> { }), 60_000);
        ProfileSnapshot published = snapshot(9);

        ActiveProfiles.publish(published);

        assertSame(published, ActiveProfiles.current());
        assertTrue(published.profiles().isEmpty());
    }
}
