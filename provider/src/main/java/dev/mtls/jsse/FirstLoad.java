package dev.mtls.jsse;

import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The agent's first load of the profile file, running on a thread of its own while the
 * application's {@code main} starts. A handshake that needs the profiles before they are
 * published waits here, at most {@code maxWaitMillis}; the loading thread itself never waits
 * (should loading ever reach a handshake, it sees no profiles rather than itself).
 *
 * <p>Why a bound: the load only reads files and parses keys, but a file system that hangs must
 * not hang the application's handshakes with it. Past the bound, handshakes go on as without the
 * agent until the profiles arrive, and one error line says so. Nothing else waits here: the
 * loading thread takes no lock a handshake could hold, and it publishes before it logs.
 */
final class FirstLoad {
    private final Thread loader;
    private final long maxWaitMillis;
    private final CountDownLatch published = new CountDownLatch(1);
    private volatile boolean abandoned;

    FirstLoad(Thread loader, long maxWaitMillis) {
        this.loader = loader;
        this.maxWaitMillis = maxWaitMillis;
    }

    void await() {
        if (abandoned || Thread.currentThread() == loader) {
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

    void release() {
        published.countDown();
    }

    private synchronized void giveUp() {
        if (abandoned) {
            return;
        }
        abandoned = true;
        System.getLogger("dev.mtls").log(Level.ERROR, "mtls-agent: the profiles have not finished loading after "
                + maxWaitMillis + " ms; handshakes go on without them until they have");
    }
}
