package dev.mtls.jsse;

import dev.mtls.profile.LoadResult;
import dev.mtls.profile.ProfileError;
import dev.mtls.profile.ProfileFileException;
import dev.mtls.profile.ProfileLoader;
import dev.mtls.profile.ProfileSnapshot;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * Provider-only mode: the profile file named in {@code java.security} (or by {@code mtls.profiles})
 * is loaded once into {@link ActiveProfiles}, on the first handshake rather than in the provider's
 * constructor. The JDK builds providers while it is still setting up its provider list; loading
 * keys then (which needs KeyFactory and friends) would recurse into that set-up.
 *
 * <p>When something else (the agent's reloading watcher) has already published a snapshot, that
 * one wins and the file is not read here at all.
 */
final class ProfileFileSource implements ProfileSource {
    private final Path file;
    private volatile boolean done;
    private boolean started;

    ProfileFileSource(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    @Override
    public ProfileSnapshot current() {
        if (!done) {
            loadOnce();
        }
        return ActiveProfiles.current();
    }

    /**
     * Other threads wait for the first load; the loading thread itself, should loading cause a
     * handshake of its own, gets the empty snapshot instead of recursing (the monitor is reentrant).
     */
    private synchronized void loadOnce() {
        if (started) {
            return;
        }
        started = true;
        try {
            ProfileSnapshot before = ActiveProfiles.current();
            if (before.generation() == 0) {
                load(before);
            }
        } catch (Throwable t) {
            log().log(Level.ERROR, "mtls-agent: could not load profiles from " + file + ": " + t, t);
        } finally {
            done = true;
        }
    }

    private void load(ProfileSnapshot before) {
        Logger log = log();
        try {
            LoadResult result = ProfileLoader.system().load(file, null, 1);
            for (ProfileError error : result.errors()) {
                log.log(Level.ERROR, "mtls-agent: " + error);
            }
            for (ProfileError warning : result.warnings()) {
                log.log(Level.WARNING, "mtls-agent: " + warning);
            }
            if (ActiveProfiles.publishIfCurrent(before, result.snapshot())) {
                log.log(Level.INFO, "mtls-agent: loaded " + result.snapshot().profiles().size()
                        + " profile(s) from " + file);
            }
        } catch (ProfileFileException e) {
            log.log(Level.ERROR, "mtls-agent: " + e.getMessage());
        }
    }

    private static Logger log() {
        return System.getLogger("dev.mtls");
    }
}
