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
    private static final ProfileSource SOURCE = CURRENT::get;

    private ActiveProfiles() {
    }

    public static ProfileSource source() {
        return SOURCE;
    }

    public static ProfileSnapshot current() {
        return CURRENT.get();
    }

    /** Publishes a complete new snapshot in one step. */
    public static void publish(ProfileSnapshot snapshot) {
        CURRENT.set(snapshot);
    }

    /**
     * Publishes only if {@code expected} is still the snapshot in force, so a one-off load cannot
     * overwrite a newer snapshot someone else published meanwhile.
     */
    public static boolean publishIfCurrent(ProfileSnapshot expected, ProfileSnapshot snapshot) {
        return CURRENT.compareAndSet(expected, snapshot);
    }
}
