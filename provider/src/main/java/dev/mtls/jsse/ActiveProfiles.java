package dev.mtls.jsse;

import dev.mtls.profile.ProfileSnapshot;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The snapshot in force for this JVM. Wrapped managers created by either hook read it through
 * {@link #source()}, so a reload that swaps the snapshot reaches every existing SSLContext.
 */
public final class ActiveProfiles {
    private static final AtomicReference<ProfileSnapshot> CURRENT =
            new AtomicReference<>(ProfileSnapshot.empty(Path.of("(none)")));
    private static final ProfileSource SOURCE = ActiveProfiles::current;
    /** Set while the agent's first load runs beside the application's start; null otherwise. */
    private static volatile FirstLoad firstLoad;

    private ActiveProfiles() {
    }

    public static ProfileSource source() {
        return SOURCE;
    }

    /** The snapshot in force; while the first load is still running, waits for it (see {@link FirstLoad}). */
    public static ProfileSnapshot current() {
        FirstLoad pending = firstLoad;
        if (pending != null) {
            pending.await();
        }
        return CURRENT.get();
    }

    /**
     * Announces that {@code loader} is about to load the first snapshot: from now until it
     * publishes, {@link #current()} waits for it, at most {@code maxWaitMillis}. The loader must
     * end with {@link #publish} or {@link #endFirstLoad}, whatever happens.
     */
    public static void expectFirstLoad(Thread loader, long maxWaitMillis) {
        firstLoad = new FirstLoad(loader, maxWaitMillis);
    }

    /** Releases whoever waits for the first load; called by every publish, and by a loader that failed. */
    public static void endFirstLoad() {
        FirstLoad pending = firstLoad;
        if (pending != null) {
            firstLoad = null;
            pending.release();
        }
    }

    /** Publishes a complete new snapshot in one step. */
    public static void publish(ProfileSnapshot snapshot) {
        CURRENT.set(snapshot);
        endFirstLoad();
    }

    /**
     * Publishes only if {@code expected} is still the snapshot in force, so a one-off load cannot
     * overwrite a newer snapshot someone else published meanwhile.
     */
    public static boolean publishIfCurrent(ProfileSnapshot expected, ProfileSnapshot snapshot) {
        return CURRENT.compareAndSet(expected, snapshot);
    }
}
