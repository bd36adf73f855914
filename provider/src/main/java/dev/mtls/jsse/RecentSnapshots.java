package dev.mtls.jsse;

import dev.mtls.snapshot.ProfileSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The few snapshots a key manager recently chose aliases from, by generation. JSSE asks for the
 * chain and the key after choosing the alias; a reload in between must not pair the new key with
 * the old chain (or hand out a profile that no longer exists), so those calls read the snapshot
 * the alias names. A handshake lasts milliseconds and reloads are seconds apart: a handful suffices.
 */
final class RecentSnapshots {
    private static final int KEEP = 4;

    private final Map<Long, ProfileSnapshot> byGeneration = new LinkedHashMap<Long, ProfileSnapshot>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ProfileSnapshot> eldest) {
            return size() > KEEP;
        }
    };

    synchronized void remember(ProfileSnapshot snapshot) {
        Long generation = snapshot.generation();
        if (byGeneration.get(generation) != snapshot) {
            byGeneration.remove(generation);
            byGeneration.put(generation, snapshot);
        }
    }

    /** The remembered snapshot of that generation, or null. */
    synchronized ProfileSnapshot get(long generation) {
        return byGeneration.get(generation);
    }
}
