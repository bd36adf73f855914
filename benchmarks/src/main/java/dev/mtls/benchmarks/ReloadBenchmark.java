package dev.mtls.benchmarks;

import dev.mtls.reload.ProfileWatcher;
import dev.mtls.reload.ReloadOutcome;
import dev.mtls.reload.SnapshotTarget;
import dev.mtls.reload.WatchSettings;
import dev.mtls.snapshot.ProfileSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A reload check over 1,000 profiles (2,001 files). Targets: a check where every identity changed
 * (fingerprint, full load, merge, publish) within 1 s; a check where nothing changed within 20 ms.
 * {@code oneProfileChanged} is the common rotation: the others are taken over without loading.
 * {@code naiveContentHash} is the reference the fingerprint's attribute pre-check is measured
 * against: resolving and hashing every file on every tick.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReloadBenchmark {

    @State(Scope.Benchmark)
    public static class Watched {
        @Param("1000")
        int profiles;

        ManyProfiles files;
        ProfileWatcher watcher;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            files = ManyProfiles.create(profiles);
            watcher = ProfileWatcher.create(WatchSettings.of(files.profileFile).reloadOption(Duration.ZERO)
                    .target(new PrivateTarget()).log((level, message) -> { }));
            ReloadOutcome first = watcher.reloadNow();
            if (first.kind() != ReloadOutcome.Kind.RELOADED || first.added().size() != profiles) {
                throw new IllegalStateException("set-up did not load every profile: " + first);
            }
            // Let the files age past the fingerprint's racy window, as files on a real system have.
            Thread.sleep(2_500);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            watcher.close();
        }
    }

    /** Every invocation sees all identities changed: the ..data link is flipped before it. */
    @State(Scope.Benchmark)
    public static class Flipped extends Watched {
        @Setup(Level.Invocation)
        public void flip() throws IOException {
            files.flip();
        }
    }

    /** Every invocation sees one identity changed among them all. */
    @State(Scope.Benchmark)
    public static class OneRotated extends Watched {
        @Setup(Level.Invocation)
        public void rotate() throws IOException {
            files.rotateFirst();
        }
    }

    @Benchmark
    public ReloadOutcome oneProfileChanged(OneRotated state) {
        ReloadOutcome outcome = state.watcher.reloadNow();
        if (!outcome.changed().equals(List.of("p0"))) {
            throw new IllegalStateException("expected p0 alone to change: " + outcome);
        }
        return outcome;
    }

    @Benchmark
    public ReloadOutcome allProfilesChanged(Flipped state) {
        ReloadOutcome outcome = state.watcher.reloadNow();
        if (outcome.changed().size() != state.profiles) {
            throw new IllegalStateException("expected every profile to change: " + outcome);
        }
        return outcome;
    }

    @Benchmark
    public ReloadOutcome nothingChanged(Watched state) {
        return state.watcher.reloadNow();
    }

    @Benchmark
    public byte[] naiveContentHash(Watched state) throws Exception {
        MessageDigest all = sha256();
        byte[] buffer = new byte[8192];
        List<Path> files = state.files.files();
        for (Path file : files) {
            all.update(file.toRealPath().toString().getBytes());
            try (InputStream in = Files.newInputStream(file)) {
                for (int read; (read = in.read(buffer)) > 0;) {
                    all.update(buffer, 0, read);
                }
            }
        }
        return all.digest();
    }

    private static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }

    /** Keeps the benchmark's snapshots away from the JVM-wide ActiveProfiles. */
    static final class PrivateTarget implements SnapshotTarget {
        private final AtomicReference<ProfileSnapshot> current =
                new AtomicReference<>(ProfileSnapshot.empty(Path.of("(none)")));

        @Override
        public ProfileSnapshot current() {
            return current.get();
        }

        @Override
        public boolean publishIfCurrent(ProfileSnapshot expected, ProfileSnapshot next) {
            return current.compareAndSet(expected, next);
        }
    }
}
