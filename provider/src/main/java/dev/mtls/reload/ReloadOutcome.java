package dev.mtls.reload;

import java.util.List;

/** What one check did, in the words the JMX {@code reload()} operation returns. */
public final class ReloadOutcome {
    public enum Kind {
        /** Nothing the snapshot depends on changed (or it changed back): nothing published. */
        UNCHANGED,
        /** A new snapshot was published. */
        RELOADED,
        /** The file could not be used as a whole: the previous snapshot stays in force. */
        KEPT_PREVIOUS,
        /** Files kept changing while being read: nothing applied; the next tick tries again. */
        UNSETTLED,
        /** An unexpected failure of ours: nothing applied; the next tick tries again. */
        FAILED,
        /** The watcher was closed. */
        CLOSED
    }

    private final Kind kind;
    private final long generation;
    private final String summary;
    private final List<String> added;
    private final List<String> changed;
    private final List<String> removed;

    ReloadOutcome(Kind kind, long generation, String summary, SnapshotChanges changes) {
        this.kind = kind;
        this.generation = generation;
        this.summary = summary;
        this.added = changes == null ? List.of() : changes.added();
        this.changed = changes == null ? List.of() : changes.changed();
        this.removed = changes == null ? List.of() : changes.removed();
    }

    public Kind kind() {
        return kind;
    }

    /** The generation in force after the check. */
    public long generation() {
        return generation;
    }

    /** One line for an operator, e.g. "reloaded (generation 4): added [a], changed [], removed []". */
    public String summary() {
        return summary;
    }

    public List<String> added() {
        return added;
    }

    public List<String> changed() {
        return changed;
    }

    public List<String> removed() {
        return removed;
    }

    @Override
    public String toString() {
        return summary;
    }
}
