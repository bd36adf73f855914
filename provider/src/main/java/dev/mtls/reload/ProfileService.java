package dev.mtls.reload;

import dev.mtls.snapshot.FirstUseLoad;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The one path from the profile file to the published snapshot, for the first load, every
 * reload after it and provider-only mode: each is a {@link ReloadCheck}, which loads, merges with
 * what is in force, logs each problem once, warns about expiry and publishes. The first load is
 * simply the first check, run when TLS is first used (or at start when strict, or on attach);
 * what it logs is held until it has published (see {@link HeldLog}), then logged with the start
 * line ("2 profiles from /etc/mtls/profiles.yaml"), and the reload timer starts.
 */
public final class ProfileService implements FirstUseLoad {
    private final ProfileWatcher watcher;
    private final HeldLog held;
    private final boolean reloads;
    private final String startNote;

    private ProfileService(WatchSettings settings, boolean reloads, String startNote) {
        this.held = new HeldLog(settings.logOrDefault());
        settings.log(held);
        this.watcher = ProfileWatcher.create(settings);
        this.reloads = reloads;
        this.startNote = startNote;
    }

    /**
     * The agent's: checks the file again on the timer after the first load.
     *
     * @param startNote appended to the start line (say, what an attach does not cover); empty for none
     */
    public static ProfileService create(WatchSettings settings, String startNote) {
        return new ProfileService(settings, true, startNote);
    }

    /**
     * Provider-only mode's, found by name by {@code MtlsProvider}: the file is read once, to
     * System.Logger "dev.mtls"; no thread is started in a JVM that chose not to run the agent.
     */
    public static FirstUseLoad providerOnly(Path file) {
        return new ProfileService(WatchSettings.of(file).reloadOption(Duration.ZERO), false, "");
    }

    /** The first load: loads and publishes, and holds what it would log until {@link #report()}. */
    @Override
    public void load() {
        try {
            watcher.reloadNow();
        } catch (RuntimeException | LinkageError e) {
            // A bug of ours must not take the application down; the exception's text names no secret.
            held.log(Level.ERROR, watcher.file() + ": cannot be loaded (" + e + "); running with no profiles");
        }
    }

    /** The errors the first load found, before {@link #report()} logs them: for strict and attach. */
    public List<String> problems() {
        return held.errors();
    }

    /**
     * "2 profiles from /etc/mtls/profiles.yaml" (or "2 profiles and 1 listener from …" when the file
     * has listeners): what is in force after the first load.
     */
    public String startLine() {
        int count = watcher.current().profiles().size();
        int listeners = watcher.current().listeners().size();
        return count + (count == 1 ? " profile" : " profiles")
                + (listeners == 0 ? "" : " and " + listeners + (listeners == 1 ? " listener" : " listeners"))
                + " from " + watcher.file();
    }

    /** Logs what the first load found and the start line, then starts the reload timer. */
    @Override
    public void report() {
        held.release();
        held.log(Level.INFO, startLine() + startNote);
        if (reloads) {
            watcher.start();
        }
    }

    /** For JMX. */
    public ProfileWatcher watcher() {
        return watcher;
    }

    /** Stops the timer: another attach replaces this service with one of other options. */
    public void close() {
        watcher.close();
    }
}
