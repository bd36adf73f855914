package dev.mtls.reload;

import static dev.mtls.reload.ProfileFiles.client;
import static dev.mtls.reload.ProfileFiles.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.profile.DurationParser;
import dev.mtls.snapshot.ProfileLoader;
import dev.mtls.testing.TestCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timer: its thread, its interval, and that close() ends it. Waits are bounded polls, never timings. */
class ReloadTimerTest {
    static final TestCertificate FIRST = client("timer-first");
    static final TestCertificate SECOND = client("timer-second");

    @TempDir
    Path dir;
    ProfileFiles files;
    final RecordingTarget target = new RecordingTarget();
    final RecordingLog log = new RecordingLog();
    ProfileWatcher watcher;

    @BeforeEach
    void files() {
        files = new ProfileFiles(dir).identity("payments", FIRST);
        files.write(profile("payments", "payments.internal"));
    }

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void timerPicksUpAChangeWithoutAnyoneAsking() throws Exception {
        watcher = watch(Duration.ofMillis(100)).start();
        assertTrue(eventually(() -> watcher.generation() == 1), "the first tick never loaded the file");

        files.identity("payments", SECOND);

        assertTrue(eventually(() -> watcher.generation() == 2), "the timer never reloaded the change");
        assertEquals(SECOND.subject(), target.current().profile("payments").orElseThrow().identity().orElseThrow()
                .leaf().getSubjectX500Principal().getName());
    }

    @Test
    void timerRunsOnOneNamedDaemonThread() throws Exception {
        watcher = watch(Duration.ofMillis(100)).start();

        assertTrue(eventually(() -> reloadThread().isPresent()), "no " + ProfileWatcher.THREAD_NAME + " thread");
        assertTrue(reloadThread().orElseThrow().isDaemon());
    }

    @Test
    void closeStopsTheTimerAndItsThread() throws Exception {
        watcher = watch(Duration.ofMillis(100)).start();
        assertTrue(eventually(() -> watcher.generation() == 1));

        watcher.close();
        files.identity("payments", SECOND);

        assertTrue(eventually(() -> !watcher.hasTimerThread()), "the thread outlived close()");
        assertEquals(ReloadOutcome.Kind.CLOSED, watcher.reloadNow().kind());
        assertEquals(1, watcher.generation());
    }

    @Test
    void timerSurvivesACheckThatBlowsUp() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SnapshotLoader real = SnapshotLoader.of(ProfileLoader.system());
        watcher = ProfileWatcher.create(WatchSettings.of(files.profiles).reloadOption(Duration.ofMillis(100))
                .target(target).log(log).loader((file, base, generation, reuse) -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new AssertionError("a bug of ours");
                    }
                    return real.load(file, base, generation, reuse);
                })).start();

        assertTrue(eventually(() -> watcher.generation() == 1), "the timer died with the failing check");
        assertTrue(log.count("reload check failed: java.lang.AssertionError: a bug of ours") == 1, log.toString());
    }

    @Test
    void unexpectedFailureIsReportedOnceAndTheNextCheckRetries() {
        AtomicInteger calls = new AtomicInteger();
        SnapshotLoader real = SnapshotLoader.of(ProfileLoader.system());
        watcher = ProfileWatcher.create(WatchSettings.of(files.profiles).reloadOption(Duration.ZERO)
                .target(target).log(log).loader((file, base, generation, reuse) -> {
                    if (calls.incrementAndGet() <= 2) {
                        throw new IllegalStateException("a bug of ours");
                    }
                    return real.load(file, base, generation, reuse);
                }));

        assertEquals(ReloadOutcome.Kind.FAILED, watcher.reloadNow().kind());
        assertEquals(ReloadOutcome.Kind.FAILED, watcher.reloadNow().kind());
        assertEquals(ReloadOutcome.Kind.RELOADED, watcher.reloadNow().kind());

        assertEquals(1, log.count("reload failed unexpectedly: java.lang.IllegalStateException: a bug of ours"),
                log.toString());
        assertEquals(2, watcher.status().failures());
        assertEquals("", watcher.status().lastError());
    }

    @Test
    void zeroIntervalStartsNoTimerButManualChecksStillWork() {
        watcher = watch(Duration.ZERO).start();

        assertEquals(Duration.ZERO, watcher.interval());
        assertEquals(ReloadOutcome.Kind.RELOADED, watcher.reloadNow().kind());
        assertFalse(watcher.hasTimerThread());
    }

    @Test
    void intervalComesFromTheOptionThenTheFileThenThirtySeconds() {
        watcher = watch(null);
        assertEquals(ProfileWatcher.DEFAULT_INTERVAL, watcher.interval());

        files.write(Duration.ofSeconds(5), profile("payments", "payments.internal"));
        watcher.reloadNow();
        assertEquals(Duration.ofSeconds(5), watcher.interval());
        watcher.close();

        watcher = watch(Duration.ofSeconds(60));
        watcher.reloadNow();
        assertEquals(Duration.ofSeconds(60), watcher.interval());
    }

    @Test
    void aTypoedTinyIntervalDoesNotBecomeABusyLoop() {
        watcher = watch(Duration.ofMillis(1));

        assertEquals(ProfileWatcher.MIN_INTERVAL, watcher.interval());
    }

    @Test
    void anIntervalTooLongForTheTimerIsCappedNotFatal() throws Exception {
        watcher = watch(Duration.ofDays(106751991167L)).start();

        assertEquals(DurationParser.MAX_RELOAD, watcher.interval());
        assertTrue(watcher.hasTimerThread(), "no timer: the next tick was never scheduled");
        assertEquals(ReloadOutcome.Kind.RELOADED, watcher.reloadNow().kind());
        assertTrue(watcher.hasTimerThread(), "the timer died when the check rescheduled it");
    }

    private ProfileWatcher watch(Duration reloadOption) {
        return ProfileWatcher.create(WatchSettings.of(files.profiles).reloadOption(reloadOption).target(target)
                .log(log));
    }

    /** Polls for up to ten seconds: long enough for a loaded machine, and no assertion on how long it took. */
    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    private static Optional<Thread> reloadThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(ProfileWatcher.THREAD_NAME) && thread.isAlive())
                .findFirst();
    }
}
