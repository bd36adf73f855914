package dev.mtls.jsse;

import dev.mtls.profile.ProfileSnapshot;
import java.nio.file.Path;

/**
 * The snapshot in force for this JVM. Wrapped managers created by either hook read it through
 * {@link #source()}, so a reload that swaps the snapshot reaches every existing SSLContext.
 */
public final class ActiveProfiles {
    private static volatile ProfileSnapshot current = ProfileSnapshot.empty(Path.of("(none)"));
    private static final ProfileSource SOURCE = () -> current;

    private ActiveProfiles() {
    }

    public static ProfileSource source() {
        return SOURCE;
    }

    public static ProfileSnapshot current() {
        return current;
    }

    /** Publishes a complete new snapshot in one step. */
    public static void publish(ProfileSnapshot snapshot) {
        current = snapshot;
    }
}
