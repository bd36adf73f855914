package dev.mtls.reload;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names a reload adds, changes and removes, for profiles or for listeners (see
 * {@link SnapshotChanges}). Filled in two passes: {@link #now} for each entry of the new snapshot,
 * then {@link #before} for each entry of the one in force.
 */
final class NameChanges {
    private final List<String> added = new ArrayList<>();
    private final List<String> changed = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();
    private final Set<String> present = new HashSet<>();

    /**
     * An entry of the new snapshot.
     *
     * @param existed whether the snapshot in force has an entry of that name
     * @param same whether that entry has the same content
     */
    void now(String name, boolean existed, boolean same) {
        present.add(name);
        if (!existed) {
            added.add(name);
        } else if (!same) {
            changed.add(name);
        }
    }

    /** An entry of the snapshot in force; removed unless {@link #now} saw its name. Call after every {@code now}. */
    void before(String name) {
        if (!present.contains(name)) {
            removed.add(name);
        }
    }

    List<String> added() {
        return List.copyOf(added);
    }

    List<String> changed() {
        return List.copyOf(changed);
    }

    List<String> removed() {
        return List.copyOf(removed);
    }

    boolean isEmpty() {
        return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
    }

    /** Every name a cached session may no longer agree with: added, changed or removed. */
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
