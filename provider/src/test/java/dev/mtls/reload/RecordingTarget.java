package dev.mtls.reload;

import dev.mtls.snapshot.ProfileSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** A private stand-in for ActiveProfiles that remembers every snapshot ever published. */
final class RecordingTarget implements SnapshotTarget {
    private final AtomicReference<ProfileSnapshot> current =
            new AtomicReference<>(ProfileSnapshot.empty(Path.of("(none)")));
    private final List<ProfileSnapshot> published = new ArrayList<>();

    @Override
    public ProfileSnapshot current() {
        return current.get();
    }

    @Override
    public synchronized boolean publishIfCurrent(ProfileSnapshot expected, ProfileSnapshot next) {
        if (current.compareAndSet(expected, next)) {
            published.add(next);
            return true;
        }
        return false;
    }

    synchronized void publish(ProfileSnapshot snapshot) {
        current.set(snapshot);
        published.add(snapshot);
    }

    synchronized List<ProfileSnapshot> published() {
        return new ArrayList<>(published);
    }
}
