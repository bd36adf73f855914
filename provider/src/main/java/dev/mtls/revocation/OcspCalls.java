package dev.mtls.revocation;

import dev.mtls.files.DaemonThreads;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads OCSP calls run on, both daemons started on first use: up to {@link #MAX_CALLS}
 * {@value #CALL_THREAD} workers for the calls handshakes wait for (a handshake waits on its call's
 * future with a timeout, never on the socket, so a responder that hangs past the HTTP timeouts holds
 * a worker, not the application's thread), and one {@value #REFRESH_THREAD} that refreshes cached
 * answers ahead of their expiry, one after the other.
 */
final class OcspCalls {
    static final String CALL_THREAD = "mtls-ocsp-call";
    static final String REFRESH_THREAD = "mtls-ocsp-refresh";
    /** Calls for different certificates at once; past that a miss is "unknown" at once rather than queued. */
    static final int MAX_CALLS = 8;
    private static final int MAX_QUEUED_REFRESHES = 256;

    private OcspCalls() {
    }

    /** @return false when every worker is busy */
    static boolean call(Runnable call) {
        return submit(Calls.POOL, call);
    }

    /** @return false when the refresh queue is full (the cached answer is used until it expires) */
    static boolean refresh(Runnable call) {
        return submit(Refresh.THREAD, call);
    }

    private static boolean submit(ThreadPoolExecutor executor, Runnable call) {
        try {
            executor.execute(call);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Holder: the pool exists once a first call is made. */
    private static final class Calls {
        static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, MAX_CALLS, 30, TimeUnit.SECONDS,
                new SynchronousQueue<Runnable>(), new DaemonThreads(CALL_THREAD));
    }

    /** Holder: the refresh thread exists once a first refresh is due. */
    private static final class Refresh {
        static final ThreadPoolExecutor THREAD = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<Runnable>(MAX_QUEUED_REFRESHES), new DaemonThreads(REFRESH_THREAD));

        static {
            THREAD.allowCoreThreadTimeOut(true);
        }
    }
}
