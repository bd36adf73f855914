package dev.mtls.reload;

import dev.mtls.material.Identity;
import dev.mtls.profile.ProfileError;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.LoadedListener;
import dev.mtls.snapshot.ProfileSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The last-good rule of a reload for listeners, as {@link LastGoodMerge} has it for profiles: a
 * listener that loaded before and no longer does keeps its previous version while the others
 * update; one gone from the file with no error naming it is removed.
 *
 * <p>Ports: the file as it is now wins. A kept previous version loses each port a listener loaded
 * from the current file claims, and is dropped when it loses them all; a kept version without
 * ports (every server handshake) is dropped when a current listener also has none. Each such
 * decision comes back as a note for the log.
 */
final class ListenerMerge {
    private final List<LoadedListener> listeners;
    private final Set<String> kept;
    private final List<ProfileError> notes;

    private ListenerMerge(List<LoadedListener> listeners, Set<String> kept, List<ProfileError> notes) {
        this.listeners = List.copyOf(listeners);
        this.kept = Set.copyOf(kept);
        this.notes = List.copyOf(notes);
    }

    /** The listeners to publish, in file order (kept versions of listeners that failed to parse last). */
    List<LoadedListener> listeners() {
        return listeners;
    }

    /** Names of the listeners whose previous version was kept. */
    Set<String> kept() {
        return kept;
    }

    /** What an operator should know about each kept version. */
    List<ProfileError> notes() {
        return notes;
    }

    static ListenerMerge of(ProfileSnapshot previous, LoadResult result) {
        Set<String> kept = new HashSet<>();
        ListenerVersions versions = new ListenerVersions(previous);
        List<LoadedListener> chosen = versions.choose(result.snapshot().listeners(),
                result.errors(), kept);
        return resolvePorts(result.document().file(), chosen, kept, versions);
    }

    private static final class ListenerVersions extends LastGoodVersions<LoadedListener> {
        private final ProfileSnapshot previous;

        ListenerVersions(ProfileSnapshot previous) {
            this.previous = previous;
        }

        @Override
        String name(LoadedListener entry) {
            return entry.name();
        }

        @Override
        boolean isUsable(LoadedListener entry) {
            return entry.isUsable();
        }

        @Override
        Optional<Identity> identity(LoadedListener entry) {
            return entry.identity();
        }

        @Override
        Optional<LoadedListener> previous(String name) {
            return previous.listener(name);
        }

        @Override
        String owner(ProfileError error) {
            return error.listener();
        }
    }

    private static ListenerMerge resolvePorts(Path file, List<LoadedListener> chosen, Set<String> kept,
            ListenerVersions versions) {
        Map<Integer, String> owners = new HashMap<>();
        String everyPort = null;
        for (LoadedListener listener : chosen) {
            if (!kept.contains(listener.name())) {
                everyPort = listener.ports().isEmpty() ? listener.name() : everyPort;
                for (Integer port : listener.ports()) {
                    owners.put(port, listener.name());
                }
            }
        }
        List<LoadedListener> merged = new ArrayList<>();
        Set<String> keptInTheEnd = new HashSet<>();
        List<ProfileError> notes = new ArrayList<>();
        for (LoadedListener listener : chosen) {
            String tokenCheck = versions.tokenCheck(listener.name());
            if (!kept.contains(listener.name())) {
                if (tokenCheck != null) {
                    notes.add(ProfileError.ofListener(file, listener.name(), 0, tokenCheck));
                }
                merged.add(listener);
                continue;
            }
            if (listener.ports().isEmpty() && everyPort != null) {
                notes.add(ProfileError.ofListener(file, listener.name(), 0, "its previous version is dropped as"
                        + " well: listener '" + everyPort + "' now covers every port"));
                continue;
            }
            List<Integer> free = new ArrayList<>();
            List<String> lost = new ArrayList<>();
            for (Integer port : listener.ports()) {
                String owner = owners.get(port);
                if (owner == null) {
                    free.add(port);
                    // A port is kept by one version only, even if two kept versions named it.
                    owners.put(port, listener.name());
                } else {
                    lost.add(port + " (now listener '" + owner + "')");
                }
            }
            if (free.isEmpty() && !listener.ports().isEmpty()) {
                notes.add(ProfileError.ofListener(file, listener.name(), 0, "its previous version is dropped as"
                        + " well: every port it had now belongs to another listener: " + String.join(", ", lost)));
                continue;
            }
            notes.add(ProfileError.ofListener(file, listener.name(), 0, "keeping its previous version until the"
                    + " error is fixed" + (lost.isEmpty() ? "" : "; ports taken over by other listeners: "
                    + String.join(", ", lost)) + (tokenCheck == null ? "" : "; " + tokenCheck)));
            keptInTheEnd.add(listener.name());
            merged.add(lost.isEmpty() ? listener : new LoadedListener(listener.definition(), free,
                    listener.identity().orElse(null), listener.trust().orElse(null), listener.problem().orElse(null)));
        }
        return new ListenerMerge(merged, keptInTheEnd, notes);
    }
}
