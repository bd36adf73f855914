package dev.mtls.reload;

import dev.mtls.profile.ProfileError;
import dev.mtls.profile.ProfileFileException;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.ProfileSnapshot;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One check of the profile file and every file it references (docs/RELOAD.md, "What a check does"). When a
 * fingerprint differs from the one last applied, or the last load had errors (retried on every
 * tick: a permission fixed with chmod changes no content), it loads a complete snapshot, merges
 * it with the last good one and publishes it in one step. The expiry check and the session sweep
 * run on every tick. Not thread-safe: {@link ProfileWatcher} runs one check at a time, and
 * handshakes never wait for one (they only read the published snapshot).
 */
final class ReloadCheck {
    /** Loads per check while files keep changing under us; past that, the next tick tries again. */
    private static final int ATTEMPTS = 3;

    private final Path file;
    private final Path base;
    private final SnapshotLoader loader;
    private final SnapshotTarget target;
    private final ReloadLog log;
    private final Clock clock;
    private final Fingerprinter fingerprinter;
    private final EveryTick everyTick;
    private final DistinctProblems problems = new DistinctProblems();
    private final ReloadStatus status = new ReloadStatus();

    private List<Path> watched;
    private ContentFingerprint applied;
    private UnchangedMaterial.Base lastLoad;
    private boolean retry;
    /** Until the first check has run: its outcome is told by the start line, not as a reload. */
    private boolean first = true;
    /** Until this check has published: before that, no profiles are in force, rather than an older version. */
    private boolean published;

    ReloadCheck(WatchSettings settings) {
        this.file = settings.file;
        this.base = settings.base;
        this.loader = settings.loaderOrDefault();
        this.target = settings.targetOrDefault();
        this.log = settings.logOrDefault();
        this.clock = settings.clock;
        this.fingerprinter = new Fingerprinter(clock);
        this.everyTick = new EveryTick(settings.expiryWarning, settings.sweeperOrDefault(), log);
        this.watched = List.of(file);
    }

    ReloadOutcome run() {
        ReloadOutcome outcome = null;
        try {
            outcome = check();
            return outcome;
        } finally {
            // Also after an Error: JMX must not show a check in progress that ended long ago.
            status.completed(clock.instant(), outcome == null ? "FAILED: the check ended with an error"
                    : outcome.kind() + ": " + outcome.summary());
        }
    }

    private ReloadOutcome check() {
        Instant now = clock.instant();
        status.checked(now);
        ReloadOutcome outcome;
        try {
            ContentFingerprint before = fingerprinter.tick(watched);
            outcome = before.equals(applied) && !retry
                    ? new ReloadOutcome(ReloadOutcome.Kind.UNCHANGED, generation(), "unchanged (generation "
                            + generation() + ")", null)
                    : load(before, now);
        } catch (RuntimeException | LinkageError e) {
            retry = true;
            problems.abandon();
            problems.add(Level.ERROR, ProfileError.ofFile(file, 0, "reload failed unexpectedly: " + e));
            problems.finish(log);
            status.failed(file + ": reload failed unexpectedly: " + e);
            outcome = new ReloadOutcome(ReloadOutcome.Kind.FAILED, generation(), status.lastError(), null);
        }
        everyTick.run(target.current(), now);
        first = false;
        return outcome;
    }

    private ReloadOutcome load(ContentFingerprint before, Instant now) {
        List<Path> files = watched;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ProfileSnapshot current = target.current();
            UnchangedMaterial reuse = UnchangedMaterial.since(lastLoad, current, before, now);
            FingerprintBeforeReading reads = new FingerprintBeforeReading(fingerprinter, before, reuse);
            LoadResult result = null;
            ProfileFileException unusable = null;
            try {
                result = loader.load(file, base, current.generation() + 1, reads);
                files = WatchedFiles.of(file, base, result.document());
            } catch (ProfileFileException e) {
                unusable = e;
                files = WatchedFiles.afterFileError(file, files);
            }
            ContentFingerprint after = fingerprinter.take(files);
            // Every file read the same before and after loading: what was loaded is one consistent set.
            if (reads.before().agreesOn(after)) {
                watched = files;
                applied = after;
                return result != null ? apply(current, result, reuse, now) : keepPrevious(current, unusable);
            }
            before = after;
        }
        watched = files;
        retry = true;
        log.log(Level.DEBUG, file + ": files changed while being read; nothing applied, trying again next tick");
        return new ReloadOutcome(ReloadOutcome.Kind.UNSETTLED, generation(),
                "files changed while being read; nothing applied, trying again at the next tick", null);
    }

    private ReloadOutcome apply(ProfileSnapshot current, LoadResult result, UnchangedMaterial reuse, Instant now) {
        LastGoodMerge merged = LastGoodMerge.of(current, result);
        ListenerMerge listeners = ListenerMerge.of(current, result);
        Duration reload = result.snapshot().reload().orElse(null);
        SnapshotChanges changes = SnapshotChanges.between(current, merged.profiles(), listeners.listeners(), reload);
        for (ProfileError error : result.errors()) {
            problems.add(Level.ERROR, error);
        }
        for (ProfileError note : merged.notes()) {
            problems.add(Level.WARNING, note);
        }
        for (ProfileError note : listeners.notes()) {
            problems.add(Level.WARNING, note);
        }
        for (ProfileError warning : result.warnings()) {
            problems.add(Level.WARNING, warning);
        }
        problems.finish(log, reuse == null ? Set.of() : reuse.reused());
        retry = result.hasErrors();
        if (retry) {
            status.failed(result.errors().get(0).toString());
        } else {
            status.succeeded();
        }
        String problemNote = retry ? "; " + result.errors().size() + " problem(s), see the log" : "";
        if (changes.isEmpty()) {
            lastLoad = new UnchangedMaterial.Base(current, merged.kept(), listeners.kept(), applied);
            return new ReloadOutcome(ReloadOutcome.Kind.UNCHANGED, current.generation(),
                    "unchanged (generation " + current.generation() + ")" + problemNote, changes);
        }
        ProfileSnapshot next = new ProfileSnapshot(current.generation() + 1, file, now, reload, merged.profiles(),
                listeners.listeners());
        if (!target.publishIfCurrent(current, next)) {
            retry = true;
            return new ReloadOutcome(ReloadOutcome.Kind.UNSETTLED, generation(),
                    "another snapshot was published meanwhile; trying again at the next tick", null);
        }
        status.reloaded(now);
        published = true;
        lastLoad = new UnchangedMaterial.Base(next, merged.kept(), listeners.kept(), applied);
        if (!first) {
            log.log(Level.INFO, "reloaded " + file + " (generation " + next.generation() + "): " + changes.describe());
        }
        everyTick.swapped(current, next, changes);
        return new ReloadOutcome(ReloadOutcome.Kind.RELOADED, next.generation(),
                "reloaded (generation " + next.generation() + "): " + changes.describe() + problemNote, changes);
    }

    private ReloadOutcome keepPrevious(ProfileSnapshot current, ProfileFileException unusable) {
        problems.add(Level.ERROR, unusable.error());
        problems.add(Level.WARNING, ProfileError.ofFile(file, 0, published
                ? "keeping the profiles already in force until the file can be used again"
                : "running with no profiles until the file can be used"));
        problems.finish(log);
        retry = true;
        status.failed(unusable.getMessage());
        return new ReloadOutcome(ReloadOutcome.Kind.KEPT_PREVIOUS, current.generation(),
                unusable.getMessage() + "; keeping generation " + current.generation(), null);
    }

    long generation() {
        return target.current().generation();
    }

    ProfileSnapshot current() {
        return target.current();
    }

    Path file() {
        return file;
    }

    ReloadStatus status() {
        return status;
    }
}
