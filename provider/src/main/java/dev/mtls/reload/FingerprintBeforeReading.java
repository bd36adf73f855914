package dev.mtls.reload;

import dev.mtls.match.HostPattern;
import dev.mtls.profile.ListenerDefinition;
import dev.mtls.profile.ProfileDefinition;
import dev.mtls.snapshot.LoadedListener;
import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fingerprints the key-material files of a profile or listener that the check has not fingerprinted yet just
 * before the loader reads them: the loader asks {@link ProfileLoader.Reuse} about each profile
 * after reading the profile file and before reading that profile's material, so what is taken
 * here is a valid "before" for those files.
 *
 * <p>Why: a check compares a fingerprint taken before loading with one taken after, and loads
 * again unless every file agrees. The files a profile names are known only once the profile file
 * is parsed, so without this the first check (and any check whose file names a new file) had no
 * "before" for them and always loaded everything twice. A file read before this can see it (a
 * {@code ${file:}} secret, which the parser reads) still gets no "before" here, and such a check
 * loads twice as before.
 */
final class FingerprintBeforeReading implements ProfileLoader.Reuse {
    private final Fingerprinter fingerprinter;
    private final ContentFingerprint before;
    private final ProfileLoader.Reuse reuse;
    private final Map<Path, String> added = new LinkedHashMap<>();

    /** @param reuse what may be reused, or null for nothing */
    FingerprintBeforeReading(Fingerprinter fingerprinter, ContentFingerprint before, ProfileLoader.Reuse reuse) {
        this.fingerprinter = fingerprinter;
        this.before = before;
        this.reuse = reuse;
    }

    @Override
    public LoadedProfile reusable(ProfileDefinition definition, List<HostPattern> hosts) {
        LoadedProfile reused = reuse == null ? null : reuse.reusable(definition, hosts);
        if (reused == null) {
            fingerprintUnseen(WatchedFiles.of(definition));
        }
        return reused;
    }

    @Override
    public LoadedListener reusableListener(ListenerDefinition definition, List<Integer> ports) {
        LoadedListener reused = reuse == null ? null : reuse.reusableListener(definition, ports);
        if (reused == null) {
            fingerprintUnseen(WatchedFiles.of(definition));
        }
        return reused;
    }

    private void fingerprintUnseen(List<Path> files) {
        List<Path> unseen = new ArrayList<>();
        for (Path file : files) {
            if (before.state(file) == null && !added.containsKey(file)) {
                unseen.add(file);
            }
        }
        if (!unseen.isEmpty()) {
            ContentFingerprint taken = fingerprinter.take(unseen);
            for (Path file : unseen) {
                added.put(file, taken.state(file));
            }
        }
    }

    /** The fingerprint before loading, with the files fingerprinted here before they were read. */
    ContentFingerprint before() {
        if (added.isEmpty()) {
            return before;
        }
        Map<Path, String> states = new LinkedHashMap<>();
        for (Path file : before.files()) {
            states.put(file, before.state(file));
        }
        states.putAll(added);
        return new ContentFingerprint(states);
    }
}
