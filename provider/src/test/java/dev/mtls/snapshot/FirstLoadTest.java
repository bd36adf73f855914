package dev.mtls.snapshot;

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

import dev.mtls.jsse.TestCerts;
import dev.mtls.testing.TestTlsServer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The profiles are loaded by the first use of TLS: the first reader runs the load, whoever comes
 * meanwhile waits for that one load (never a second), and a handshake never goes out without the
 * certificate because it came early.
 */
class FirstLoadTest {
    private GlobalJsseState state;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch releaseLoad = new CountDownLatch(1);

    @BeforeEach
    void capture() {
        state = new GlobalJsseState();
        ActiveProfiles.publish(snapshot(7));
    }

    @AfterEach
    void restore() throws InterruptedException {
        releaseLoad.countDown();
        threads.shutdown();
        threads.awaitTermination(30, TimeUnit.SECONDS);
        state.restore();
    }

    @Test
    void nothingIsLoadedUntilSomeoneAsksForTheProfiles() {
        CountingLoad load = new CountingLoad(snapshot(8), null);
        ActiveProfiles.loadOnFirstUse(load);

        ActiveProfiles.published();
        assertEquals(0, load.loads.get());

        ActiveProfiles.current();
        ActiveProfiles.current();
        assertEquals(1, load.loads.get());
        assertEquals(1, load.reports.get());
    }

    @Test
    void loadingSoonRunsTheOneLoadBesideTheCallerWhoThenWaitsForIt() throws Exception {
        ProfileSnapshot loaded = snapshot(8, profile("payments", "localhost").identity(PROFILE_EC).build());
        CountingLoad load = new CountingLoad(loaded, releaseLoad);
        ActiveProfiles.loadOnFirstUse(load);

        ActiveProfiles.loadSoon();
        load.started.await(30, TimeUnit.SECONDS);
        AtomicReference<Thread> caller = new AtomicReference<>();
        Future<ProfileSnapshot> handshake = threads.submit(() -> {
            caller.set(Thread.currentThread());
            return ActiveProfiles.current();
        });
        awaitWaiting(caller);
        releaseLoad.countDown();

        assertSame(loaded, handshake.get(30, TimeUnit.SECONDS));
        assertEquals(1, load.loads.get());
    }

    @Test
    void theFirstHandshakeLoadsTheProfilesAndPresentsTheCertificate() throws Exception {
        ActiveProfiles.loadOnFirstUse(new CountingLoad(snapshot(8, profile("payments", "localhost")
                .identity(PROFILE_EC).build()), null));
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), ActiveProfiles.source());

        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchange(client, "localhost", server.port(), "TLSv1.3");
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
        }
    }

    @Test
    void concurrentFirstUsersWaitForOneLoad() throws Exception {
        ProfileSnapshot loaded = snapshot(8, profile("payments", "localhost").identity(PROFILE_EC).build());
        CountingLoad load = new CountingLoad(loaded, releaseLoad);
        ActiveProfiles.loadOnFirstUse(load);
        AtomicReference<Thread> second = new AtomicReference<>();

        Future<ProfileSnapshot> first = threads.submit(ActiveProfiles::current);
        load.started.await(30, TimeUnit.SECONDS);
        Future<ProfileSnapshot> waiting = threads.submit(() -> {
            second.set(Thread.currentThread());
            return ActiveProfiles.current();
        });
        awaitWaiting(second);
        releaseLoad.countDown();

        assertSame(loaded, first.get(30, TimeUnit.SECONDS));
        assertSame(loaded, waiting.get(30, TimeUnit.SECONDS));
        assertEquals(1, load.loads.get());
    }

    @Test
    void whoeverWaitsGoesOnOnceTheLoadHasPublishedBeforeTheLoadEnds() throws Exception {
        ProfileSnapshot loaded = snapshot(8);
        CountDownLatch published = new CountDownLatch(1);
        CountDownLatch endLoad = new CountDownLatch(1);
        ActiveProfiles.loadOnFirstUse(new FirstUseLoad() {
            @Override
            public void load() {
                ActiveProfiles.publish(loaded);
                published.countDown();
                try {
                    // The expiry check and session sweep after publishing, held until the waiter is through.
                    endLoad.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void report() {
            }
        }, 600_000);
        Future<ProfileSnapshot> loading = threads.submit(ActiveProfiles::current);
        published.await(30, TimeUnit.SECONDS);

        Future<ProfileSnapshot> waiting = threads.submit(ActiveProfiles::current);

        try {
            assertSame(loaded, waiting.get(30, TimeUnit.SECONDS));
        } finally {
            endLoad.countDown();
        }
        assertSame(loaded, loading.get(30, TimeUnit.SECONDS));
    }

    @Test
    void theLoadingThreadItselfNeverWaits() {
        ProfileSnapshot before = ActiveProfiles.published();
        AtomicReference<ProfileSnapshot> seenWhileLoading = new AtomicReference<>();
        ActiveProfiles.loadOnFirstUse(new FirstUseLoad() {
            @Override
            public void load() {
                seenWhileLoading.set(ActiveProfiles.current());
            }

            @Override
            public void report() {
            }
        });

        ActiveProfiles.current();

        assertSame(before, seenWhileLoading.get());
    }

    @Test
    void whoeverWaitedHasTheProfilesBeforeTheLoadLogs() throws Exception {
        ProfileSnapshot loaded = snapshot(8);
        AtomicReference<Thread> second = new AtomicReference<>();
        AtomicReference<Future<ProfileSnapshot>> waiting = new AtomicReference<>();
        AtomicReference<ProfileSnapshot> seenByWaiterBeforeReport = new AtomicReference<>();
        CountDownLatch loading = new CountDownLatch(1);
        ActiveProfiles.loadOnFirstUse(new FirstUseLoad() {
            @Override
            public void load() {
                loading.countDown();
                try {
                    awaitWaiting(second);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                ActiveProfiles.publish(loaded);
            }

            @Override
            public void report() {
                // A logging backend that makes a TLS call on another thread, and waits for it.
                try {
                    seenByWaiterBeforeReport.set(waiting.get().get(30, TimeUnit.SECONDS));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        });
        Future<ProfileSnapshot> first = threads.submit(ActiveProfiles::current);
        loading.await(30, TimeUnit.SECONDS);
        waiting.set(threads.submit(() -> {
            second.set(Thread.currentThread());
            return ActiveProfiles.current();
        }));

        first.get(60, TimeUnit.SECONDS);
        assertSame(loaded, seenByWaiterBeforeReport.get());
    }

    @Test
    void pastTheBoundHandshakesGoOnWithWhatIsPublished() throws Exception {
        ProfileSnapshot before = ActiveProfiles.published();
        CountingLoad hung = new CountingLoad(snapshot(8), releaseLoad);
        ActiveProfiles.loadOnFirstUse(hung, 50);
        threads.submit(ActiveProfiles::current);
        hung.started.await(30, TimeUnit.SECONDS);
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), ActiveProfiles.source());

        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchange(client, "localhost", server.port(), "TLSv1.3");
            assertEquals(TestTlsServer.NONE, server.nextClientSubject());
            assertSame(before, ActiveProfiles.current());
        }
    }

    /** Until the thread is parked in the first-load wait (not merely somewhere on its way there). */
    private static void awaitWaiting(AtomicReference<Thread> thread) throws InterruptedException {
        for (int i = 0; i < 30_000; i++) {
            Thread current = thread.get();
            if (current != null && current.getState() == Thread.State.TIMED_WAITING && inFirstLoadWait(current)) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the thread never waited for the first load");
    }

    private static boolean inFirstLoadWait(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(FirstLoad.class.getName())) {
                return true;
            }
        }
        return false;
    }

    /** Publishes one snapshot, after {@code release} if given, and counts its calls. */
    private static final class CountingLoad implements FirstUseLoad {
        final AtomicInteger loads = new AtomicInteger();
        final AtomicInteger reports = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        private final ProfileSnapshot snapshot;
        private final CountDownLatch release;

        CountingLoad(ProfileSnapshot snapshot, CountDownLatch release) {
            this.snapshot = snapshot;
            this.release = release;
        }

        @Override
        public void load() {
            loads.incrementAndGet();
            started.countDown();
            if (release != null) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    return;
                }
            }
            ActiveProfiles.publish(snapshot);
        }

        @Override
        public void report() {
            reports.incrementAndGet();
        }
    }
}
