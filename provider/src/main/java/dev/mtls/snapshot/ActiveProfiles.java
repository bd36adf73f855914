package dev.mtls.snapshot;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The snapshot in force for this JVM. Wrapped managers created by either hook read it through
 * {@link #source()}, so a reload that swaps the snapshot reaches every existing SSLContext.
 *
 * <p>Nothing is read until TLS is used: the agent registers its {@link FirstUseLoad} as it installs
 * itself at the first class only TLS loads ({@link #loadOnFirstUse}), and the first reader of {@link #current()} runs it (see
 * {@link FirstLoad}); a JVM that never uses TLS never reads the file. Provider-only mode registers
 * its own the same way, unless the agent has claimed the profiles already.
 */
public final class ActiveProfiles {
    /** Null until something is published: the empty snapshot is built only when someone reads it. */
    private static final AtomicReference<ProfileSnapshot> CURRENT = new AtomicReference<>();
    private static final ProfileSource SOURCE = new Current();
    /** The load the first reader runs; null once it has run, or when there is none. */
    private static volatile FirstLoad firstLoad;
    /** Whether the agent loads the profiles (then provider-only mode does not). */
    private static boolean claimed;

    private ActiveProfiles() {
    }

    public static ProfileSource source() {
        return SOURCE;
    }

    /** The snapshot in force; the first call runs the registered first load, or waits for it. */
    public static ProfileSnapshot current() {
        FirstLoad pending = firstLoad;
        if (pending != null) {
            loadOrAwait(pending);
        }
        return published();
    }

    /**
     * TLS is about to be used ({@code SSLContext} is loading): starts the registered first load on a
     * thread of its own, so that it overlaps the JDK's own TLS set-up (the provider list, the trust
     * store, the default context) instead of following it. Whoever needs the profiles first still
     * waits for that one load; does nothing when there is none pending. Not a daemon: a JVM whose
     * main returns right after its first TLS call still gets the load's lines out before it exits.
     */
    public static void loadSoon() {
        if (firstLoad == null) {
            return;
        }
        Thread loader = new Thread(new Current.Load(), FirstLoad.THREAD_NAME);
        loader.setDaemon(false);
        loader.start();
    }

    /** The snapshot in force, without starting the first load: for the reload check itself. */
    public static ProfileSnapshot published() {
        ProfileSnapshot snapshot = CURRENT.get();
        return snapshot != null ? snapshot : NoProfiles.SNAPSHOT;
    }

    /** The agent: {@code load} runs at the first use of TLS, replacing any load registered before. */
    public static void loadOnFirstUse(FirstUseLoad load) {
        loadOnFirstUse(load, FirstLoad.MAX_WAIT_MILLIS);
    }

    /** As {@link #loadOnFirstUse(FirstUseLoad)}, with how long other first users wait for it at most. */
    static synchronized void loadOnFirstUse(FirstUseLoad load, long maxWaitMillis) {
        claimed = true;
        firstLoad = new FirstLoad(load, maxWaitMillis);
    }

    /**
     * The agent, loading on the calling thread now (strict, attach): nothing registered before
     * runs any more, and provider-only mode stays out.
     */
    public static synchronized void loadingNow() {
        claimed = true;
        firstLoad = null;
    }

    /** Provider-only mode: {@code load} runs at the first use, unless the agent loads the profiles. */
    public static synchronized void loadOnFirstUseUnlessClaimed(FirstUseLoad load) {
        if (!claimed) {
            claimed = true;
            firstLoad = new FirstLoad(load, FirstLoad.MAX_WAIT_MILLIS);
        }
    }

    /** Publishes a complete new snapshot in one step. */
    public static void publish(ProfileSnapshot snapshot) {
        CURRENT.set(snapshot);
        releaseFirstUsers();
    }

    /**
     * Publishes only if {@code expected} is still the snapshot in force, so a check cannot
     * overwrite a newer snapshot someone else published meanwhile.
     */
    public static boolean publishIfCurrent(ProfileSnapshot expected, ProfileSnapshot snapshot) {
        boolean published = CURRENT.compareAndSet(expected, snapshot)
                || expected == NoProfiles.SNAPSHOT && CURRENT.compareAndSet(null, snapshot);
        if (published) {
            releaseFirstUsers();
        }
        return published;
    }

    /**
     * Whoever waits for the first load needs its snapshot, not the rest of that load (the expiry
     * check and the session sweep that follow the publish): they go on as soon as the loading
     * thread has published.
     */
    private static void releaseFirstUsers() {
        FirstLoad pending = firstLoad;
        if (pending != null) {
            pending.publishedBy(Thread.currentThread());
        }
    }

    /** For tests in this package: no first load registered, nothing claimed. */
    static synchronized void forgetFirstLoad() {
        claimed = false;
        firstLoad = null;
    }

    private static void loadOrAwait(FirstLoad pending) {
        if (pending.loadOrAwait()) {
            synchronized (ActiveProfiles.class) {
                if (firstLoad == pending) {
                    firstLoad = null;
                }
            }
            pending.report();
        }
    }

    /**
     * What is in force before anything is published. In a class of its own so that registering
     * the first load in premain builds no snapshot (and loads none of the profile classes).
     */
    private static final class NoProfiles {
        static final ProfileSnapshot SNAPSHOT = ProfileSnapshot.empty(Path.of("(none)"));
    }

    /** A class, not a method reference: this runs while the JDK sets up TLS, where lambdas cost start-up time. */
    private static final class Current implements ProfileSource {
        @Override
        public ProfileSnapshot current() {
            return ActiveProfiles.current();
        }

        /** The body of {@link #loadSoon()}'s thread. */
        static final class Load implements Runnable {
            @Override
            public void run() {
                ActiveProfiles.current();
            }
        }
    }
}
