package dev.mtls.reload;

import static dev.mtls.reload.ProfileFiles.client;
import static dev.mtls.reload.ProfileFiles.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.snapshot.ProfileLoader;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.testing.TestCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rotation writes several files one after the other; a check that reads them in between must
 * not publish the mix. The seam: a loader that rewrites files while "reading" them.
 */
class ConsistentLoadTest {
    static final TestCertificate OLD = client("old");
    static final TestCertificate NEW = client("new");

    @TempDir
    Path dir;
    final RecordingTarget target = new RecordingTarget();
    final RecordingLog log = new RecordingLog();
    ProfileWatcher watcher;

    @AfterEach
    void close() {
        watcher.close();
    }

    @Test
    void profileFileWrittenWhileBeingReadIsNotPublishedHalfWay() {
        ProfileFiles files = new ProfileFiles(dir).identity("a", OLD).identity("b", OLD).identity("c", NEW);
        files.write(profile("a", "a.internal"), profile("b", "b.internal"));
        AtomicBoolean writerStillBusy = new AtomicBoolean();
        SnapshotLoader real = SnapshotLoader.of(ProfileLoader.system());
        watcher = watch(files, (file, base, generation, reuse) -> {
            try {
                return real.load(file, base, generation, reuse);
            } finally {
                if (writerStillBusy.getAndSet(false)) {
                    // The editor's second write lands just after this load read the first.
                    files.write(profile("a", "a.internal"), profile("b", "b.internal"), profile("c", "c.internal"));
                }
            }
        });
        watcher.reloadNow();

        // The first write: a file that parses, but holds only the first profile.
        files.write(profile("a", "a.internal"));
        writerStillBusy.set(true);
        ReloadOutcome outcome = watcher.reloadNow();

        for (ProfileSnapshot published : target.published()) {
            assertTrue(published.profile("b").isPresent(), "published the half-written file: " + published.profiles());
        }
        assertEquals(ReloadOutcome.Kind.RELOADED, outcome.kind(), outcome.summary());
        assertEquals(List.of("c"), outcome.added());
        assertEquals(List.of(), outcome.removed());
    }

    @Test
    void filesThatNeverSettleAreNotAppliedAndTheNextTickTriesAgain() {
        ProfileFiles files = new ProfileFiles(dir).identity("payments", OLD);
        files.write(profile("payments", "payments.internal"));
        SnapshotLoader real = SnapshotLoader.of(ProfileLoader.system());
        AtomicInteger churn = new AtomicInteger(1);
        watcher = watch(files, (file, base, generation, reuse) -> {
            try {
                return real.load(file, base, generation, reuse);
            } finally {
                if (churn.get() > 0) {
                    (churn.incrementAndGet() % 2 == 0 ? NEW : OLD).writeChain(dir.resolve("payments.pem"));
                }
            }
        });

        ReloadOutcome busy = watcher.reloadNow();
        assertEquals(ReloadOutcome.Kind.UNSETTLED, busy.kind(), busy.summary());
        assertEquals(0, target.published().size());

        churn.set(0);
        assertEquals(ReloadOutcome.Kind.RELOADED, watcher.reloadNow().kind());
    }

    /**
     * The first check knows only the profile file before it parses it; the key files it names are
     * fingerprinted just before they are read, so that check need not load everything again to
     * have a "before" for them. (The test above shows the same check still refuses a key that
     * changes while it is read.)
     */
    @Test
    void firstCheckLoadsTheFilesOnce() {
        ProfileFiles files = new ProfileFiles(dir).identity("a", OLD).identity("b", NEW);
        files.write(profile("a", "a.internal"), profile("b", "b.internal"));
        SnapshotLoader real = SnapshotLoader.of(ProfileLoader.system());
        AtomicInteger loads = new AtomicInteger();
        watcher = watch(files, (file, base, generation, reuse) -> {
            loads.incrementAndGet();
            return real.load(file, base, generation, reuse);
        });

        ReloadOutcome first = watcher.reloadNow();

        assertEquals(ReloadOutcome.Kind.RELOADED, first.kind(), first.summary());
        assertEquals(List.of("a", "b"), first.added());
        assertEquals(1, loads.get());
    }

    private ProfileWatcher watch(ProfileFiles files, SnapshotLoader loader) {
        return ProfileWatcher.create(WatchSettings.of(files.profiles).reloadOption(Duration.ZERO).target(target)
                .log(log).loader(loader));
    }
}
