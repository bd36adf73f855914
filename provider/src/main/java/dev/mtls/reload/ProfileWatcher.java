package dev.mtls.reload;

import dev.mtls.profile.DurationParser;
import dev.mtls.snapshot.ProfileSnapshot;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Re-reads the profile file and every file it references on a timer, and publishes a new
 * snapshot when something changed (see {@link ReloadCheck}). The timer is one daemon thread,
 * {@value #THREAD_NAME}, created at the first scheduled check: never the common pool, which the
 * application owns. The interval is the {@code reload} option when given, else the file's own
 * {@code reload:}, else 30 s, read again after every check; zero stops the timer, and
 * {@link #reloadNow()} still works.
 *
 * <p>Checks run one at a time (the timer's and JMX's); handshakes never wait for one: they read
 * the published snapshot, which a check replaces in one step.
 */
public final class ProfileWatcher implements AutoCloseable {
    public static final String THREAD_NAME = "mtls-agent-reload";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    /** A typo such as {@code reload=1ms} must not become a busy loop in the host JVM. */
    static final Duration MIN_INTERVAL = Duration.ofMillis(100);

    private final ReloadCheck check;
    private final Duration reloadOption;
    private final Duration expiryWarning;
    private final ReloadLog log;
    /** Made by the first scheduled check, not with the watcher: the first load runs before the timer is needed. */
    private volatile ScheduledThreadPoolExecutor timer;
    /** Serialises checks. Never taken on a handshake path. */
    private final Object lock = new Object();
    private ScheduledFuture<?> pending;
    private boolean started;
    private volatile boolean closed;

    private ProfileWatcher(WatchSettings settings) {
        this.check = new ReloadCheck(settings);
        this.reloadOption = settings.reloadOption;
        this.expiryWarning = settings.expiryWarning;
        this.log = settings.logOrDefault();
    }

    /** A watcher that does nothing until {@link #start()} or {@link #reloadNow()}. */
    public static ProfileWatcher create(WatchSettings settings) {
        return new ProfileWatcher(settings);
    }

    /**
     * Starts the timer. The first check, one interval from now, loads the file unless a check has
     * loaded it already ({@link ProfileService} runs one before starting the timer).
     */
    public ProfileWatcher start() {
        synchronized (lock) {
            if (started || closed) {
                return this;
            }
            started = true;
            scheduleNext();
        }
        return this;
    }

    /** Runs one check now, on the calling thread (JMX, tests), and returns what it did. */
    public ReloadOutcome reloadNow() {
        synchronized (lock) {
            if (closed) {
                return new ReloadOutcome(ReloadOutcome.Kind.CLOSED, check.generation(), "the watcher is closed", null);
            }
            ReloadOutcome outcome = check.run();
            if (started && pending == null) {
                // The file may have turned a disabled timer back on.
                scheduleNext();
            }
            return outcome;
        }
    }

    /** Stops the timer and waits (a few seconds at most) for a check in progress. */
    @Override
    public void close() {
        closed = true;
        ScheduledThreadPoolExecutor made = timer;
        if (made == null) {
            return;
        }
        made.shutdownNow();
        if (!Thread.currentThread().getName().equals(THREAD_NAME)) {
            try {
                made.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The interval in force now; zero when the timer is off. */
    public Duration interval() {
        Duration interval = reloadOption != null ? reloadOption
                : check.current().reload().orElse(DEFAULT_INTERVAL);
        if (interval.isZero() || interval.isNegative()) {
            return Duration.ZERO;
        }
        if (interval.compareTo(DurationParser.MAX_RELOAD) > 0) {
            // The parsers refuse more; a caller of WatchSettings could still pass it, and an interval
            // whose toNanos() overflows would end the timer for good.
            return DurationParser.MAX_RELOAD;
        }
        return interval.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : interval;
    }

    /** How close to its not-after a certificate counts as expiring (the {@code expiryWarning} option). */
    Duration expiryWarning() {
        return expiryWarning;
    }

    public Path file() {
        return check.file();
    }

    public ProfileSnapshot current() {
        return check.current();
    }

    public long generation() {
        return check.generation();
    }

    ReloadStatus status() {
        return check.status();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Whether the timer has a thread at all: with the interval at zero it never makes one. */
    boolean hasTimerThread() {
        ScheduledThreadPoolExecutor made = timer;
        return made != null && made.getPoolSize() > 0;
    }

    private void scheduleNext() {
        Duration interval = interval();
        if (closed || interval.isZero()) {
            pending = null;
            return;
        }
        try {
            pending = timer().schedule(new Tick(this), interval.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // close() shut the timer down between our check of closed and now: nothing left to schedule.
            pending = null;
        }
    }

    /** Under the lock. Should close() have come in between, the new timer is shut down at once. */
    private ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor made = timer;
        if (made == null) {
            made = new ScheduledThreadPoolExecutor(1, new DaemonThreads());
            made.setRemoveOnCancelPolicy(true);
            made.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            timer = made;
            if (closed) {
                made.shutdownNow();
            }
        }
        return made;
    }

    private void tick() {
        synchronized (lock) {
            pending = null;
            if (closed) {
                return;
            }
            try {
                check.run();
            } catch (Throwable t) {
                // Whatever happened, the timer must survive it: the next tick may well succeed.
                try {
                    log.log(Level.ERROR, "reload check failed: " + t);
                } catch (Throwable ignored) {
                    // Logging failed too; there is nobody left to tell.
                }
            }
            scheduleNext();
        }
    }

    /** Classes rather than lambdas: the watcher is created in the application's first TLS call (see ReloadLog). */
    private static final class Tick implements Runnable {
        private final ProfileWatcher watcher;

        Tick(ProfileWatcher watcher) {
            this.watcher = watcher;
        }

        @Override
        public void run() {
            watcher.tick();
        }
    }

    private static final class DaemonThreads implements ThreadFactory {
        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        }
    }
}
