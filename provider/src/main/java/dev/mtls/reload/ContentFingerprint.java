package dev.mtls.reload;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a set of files held at one moment: for each path, a digest of its content or why it has
 * none ("missing", "unreadable: …"). Two fingerprints are equal when every file reads the same,
 * whatever their timestamps say.
 */
final class ContentFingerprint {
    private final Map<Path, String> states;

    ContentFingerprint(Map<Path, String> states) {
        this.states = Collections.unmodifiableMap(new LinkedHashMap<>(states));
    }

    Set<Path> files() {
        return states.keySet();
    }

    String state(Path file) {
        return states.get(file);
    }

    /**
     * True when every file of {@code later} read the same here: nothing {@code later} covers
     * changed between the two, so what was loaded in between is one consistent set.
     */
    boolean agreesOn(ContentFingerprint later) {
        for (Map.Entry<Path, String> entry : later.states.entrySet()) {
            if (!entry.getValue().equals(states.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ContentFingerprint && states.equals(((ContentFingerprint) other).states);
    }

    @Override
    public int hashCode() {
        return states.hashCode();
    }

    @Override
    public String toString() {
        return states.size() + " files";
    }
}
