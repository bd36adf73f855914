package dev.mtls.snapshot;

import dev.mtls.log.MtlsLog;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link FirstUseLoad} once, on the thread of whoever first needs the profiles (an
 * {@code SSLContext} being initialised, a factory, a handshake). Other threads that need them
 * meanwhile wait for that one load, at most {@link #MAX_WAIT_MILLIS}, rather than load a second
 * time, and go on as soon as it has published (not when it has also checked expiry and swept the
 * session caches); the loading thread itself never waits (should loading reach a handshake of its own, it
 * sees what is published so far, not itself).
 *
 * <p>Why a bound: the load only reads files and parses keys, and every read is bounded in time,
 * but nothing that goes wrong in it may hang the application's handshakes for longer. Past the
 * bound they go on with what is published (as without the agent) and one error line says so.
 * Nothing here holds a lock while loading: a class initialiser the load runs inside (the JDK's
 * default SSLContext, say) is the only thing another thread can be blocked on.
 */
final class FirstLoad {
    static final String THREAD_NAME = "mtls-agent-load";
    /** Far longer than any real load (1,000 profiles load in about a second). */
    static final long MAX_WAIT_MILLIS = 30_000;

    private final FirstUseLoad load;
    private final CountDownLatch published = new CountDownLatch(1);
    private final long maxWaitMillis;
    private Thread loader;
    private volatile boolean abandoned;

    FirstLoad(FirstUseLoad load, long maxWaitMillis) {
        this.load = load;
        this.maxWaitMillis = maxWaitMillis;
    }

    /**
     * Loads, or waits for the thread that is loading.
     *
     * @return true when this call ran the load (it has published; the caller reports next)
     */
    boolean loadOrAwait() {
        Thread running;
        synchronized (this) {
            running = loader;
            if (running == null) {
                loader = Thread.currentThread();
            }
        }
        if (running != null) {
            if (running != Thread.currentThread()) {
                await();
            }
            return false;
        }
        try {
            load.load();
        } catch (Throwable t) {
            MtlsLog.error("cannot load the profiles: " + t + "; handshakes go on without them");
        } finally {
            published.countDown();
        }
        return true;
    }

    /** Lets the waiting threads go on once the loading thread has published (it may still be checking expiry). */
    synchronized void publishedBy(Thread thread) {
        if (thread == loader) {
            published.countDown();
        }
    }

    /** After {@link #loadOrAwait()} returned true, with nobody waiting any more. */
    void report() {
        try {
            load.report();
        } catch (Throwable t) {
            MtlsLog.error("cannot report the profiles loaded: " + t);
        }
    }

    private void await() {
        if (abandoned) {
            return;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (!published.await(maxWaitMillis, TimeUnit.MILLISECONDS)) {
                        giveUp();
                    }
                    return;
                } catch (InterruptedException e) {
                    // A handshake thread's interrupt is the application's business; keep it for later.
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void giveUp() {
        if (abandoned) {
            return;
        }
        abandoned = true;
        MtlsLog.error("the profiles have not finished loading after " + maxWaitMillis
                + " ms; handshakes go on without them until they have");
    }
}
