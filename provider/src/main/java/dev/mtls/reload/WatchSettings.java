package dev.mtls.reload;

import dev.mtls.material.IdentityLoader;
import dev.mtls.material.TrustLoader;
import dev.mtls.material.Validity;
import dev.mtls.profile.ProfileFileReader;
import dev.mtls.profile.SecretResolver;
import dev.mtls.sessions.ClientSessionSweeper;
import dev.mtls.snapshot.ProfileLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link ProfileWatcher} watches and how. Only the file is required; the rest default to
 * what the agent uses: the file's own folder as base, the file's {@code reload:} (else 30 s),
 * a 14-day expiry warning, {@link dev.mtls.snapshot.ActiveProfiles}, System.Logger "dev.mtls".
 */
public final class WatchSettings {
    static final Duration DEFAULT_EXPIRY_WARNING = Validity.DEFAULT_WARNING;

    final Path file;
    Path base;
    Duration reloadOption;
    Duration expiryWarning = DEFAULT_EXPIRY_WARNING;
    SnapshotLoader loader;
    SnapshotTarget target;
    ClientSessionSweeper sweeper;
    ReloadLog log;
    Clock clock = Clock.systemUTC();

    private WatchSettings(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    public static WatchSettings of(Path file) {
        return new WatchSettings(file);
    }

    /** The folder relative paths resolve against (the {@code base} option); null for the file's folder. */
    public WatchSettings base(Path folder) {
        this.base = folder;
        return this;
    }

    /** The {@code reload} option when it was given; it then wins over the file's setting. Zero disables the timer. */
    public WatchSettings reloadOption(Duration interval) {
        if (interval != null && interval.isNegative()) {
            throw new IllegalArgumentException("negative reload interval " + interval);
        }
        this.reloadOption = interval;
        return this;
    }

    public WatchSettings expiryWarning(Duration warning) {
        this.expiryWarning = Objects.requireNonNull(warning, "warning");
        return this;
    }

    public WatchSettings loader(SnapshotLoader snapshotLoader) {
        this.loader = snapshotLoader;
        return this;
    }

    public WatchSettings target(SnapshotTarget snapshotTarget) {
        this.target = snapshotTarget;
        return this;
    }

    public WatchSettings sweeper(ClientSessionSweeper sessionSweeper) {
        this.sweeper = sessionSweeper;
        return this;
    }

    public WatchSettings log(ReloadLog reloadLog) {
        this.log = reloadLog;
        return this;
    }

    public WatchSettings clock(Clock time) {
        this.clock = Objects.requireNonNull(time, "time");
        return this;
    }

    SnapshotLoader loaderOrDefault() {
        if (loader != null) {
            return loader;
        }
        // No expiry warning from the loader: ExpiryWatch warns once per certificate, the loader would on every load.
        return SnapshotLoader.of(new ProfileLoader(new ProfileFileReader(SecretResolver.system()),
                new IdentityLoader(), new TrustLoader(), clock, Duration.ZERO));
    }

    SnapshotTarget targetOrDefault() {
        return target != null ? target : SnapshotTarget.activeProfiles();
    }

    ClientSessionSweeper sweeperOrDefault() {
        return sweeper != null ? sweeper : new ClientSessionSweeper();
    }

    ReloadLog logOrDefault() {
        return log != null ? log : ReloadLog.standard();
    }
}
