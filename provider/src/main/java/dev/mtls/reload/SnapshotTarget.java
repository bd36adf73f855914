package dev.mtls.reload;

import dev.mtls.snapshot.ActiveProfiles;
import dev.mtls.snapshot.ProfileSnapshot;

/** Where the watcher publishes: {@link ActiveProfiles} in production, a private holder in tests. */
public interface SnapshotTarget {
    ProfileSnapshot current();

    /** Publishes in one step, unless someone else published since {@code expected} was read. */
    boolean publishIfCurrent(ProfileSnapshot expected, ProfileSnapshot next);

    static SnapshotTarget activeProfiles() {
        return new Active();
    }

    /** The JVM-wide snapshot every wrapped key and trust manager reads. */
    final class Active implements SnapshotTarget {
        @Override
        public ProfileSnapshot current() {
            // Not current(): that would run the first load, and the check is the load.
            return ActiveProfiles.published();
        }

        @Override
        public boolean publishIfCurrent(ProfileSnapshot expected, ProfileSnapshot next) {
            return ActiveProfiles.publishIfCurrent(expected, next);
        }
    }
}
