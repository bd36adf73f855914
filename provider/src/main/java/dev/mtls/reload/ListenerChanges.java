package dev.mtls.reload;

import dev.mtls.snapshot.LoadedListener;
import dev.mtls.snapshot.ProfileSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The listeners a reload adds, changes and removes (see {@link SnapshotChanges}). */
final class ListenerChanges {
    private final List<String> added;
    private final List<String> changed;
    private final List<String> removed;

    private ListenerChanges(List<String> added, List<String> changed, List<String> removed) {
        this.added = List.copyOf(added);
        this.changed = List.copyOf(changed);
        this.removed = List.copyOf(removed);
    }

    static ListenerChanges between(ProfileSnapshot before, List<LoadedListener> after) {
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (LoadedListener listener : after) {
            names.add(listener.name());
            Optional<LoadedListener> previous = before.listener(listener.name());
            if (previous.isEmpty()) {
                added.add(listener.name());
            } else if (!SnapshotChanges.sameContent(previous.get(), listener)) {
                changed.add(listener.name());
            }
        }
        for (LoadedListener listener : before.listeners()) {
            if (!names.contains(listener.name())) {
                removed.add(listener.name());
            }
        }
        return new ListenerChanges(added, changed, removed);
    }

    boolean isEmpty() {
        return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
    }

    /** Every listener whose server identity, CAs or rules a cached server session may no longer agree with. */
    Set<String> touched() {
        Set<String> touched = new LinkedHashSet<>(added);
        touched.addAll(changed);
        touched.addAll(removed);
        return touched;
    }

    /** "added [a], changed [b], removed [c]". */
    String describe() {
        return "added " + added + ", changed " + changed + ", removed " + removed;
    }
}
