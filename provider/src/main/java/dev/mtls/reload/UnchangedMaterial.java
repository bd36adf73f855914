package dev.mtls.reload;

import dev.mtls.match.HostPattern;
import dev.mtls.profile.ListenerDefinition;
import dev.mtls.profile.ProfileDefinition;
import dev.mtls.snapshot.LoadedListener;
import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileLoader;
import dev.mtls.snapshot.ProfileSnapshot;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Offers the loader a profile's current version when loading it again could only reproduce it:
 * the snapshot in force is the one the last successful check left, the profile was loaded then
 * (not kept from an earlier version), its definition and host patterns are equal (resolved
 * secrets included), its certificate is still valid, and every file it names reads the same as
 * then. A rotation of one profile among a thousand then costs one profile's load. Listeners are
 * offered on the same terms, their ports in place of host patterns.
 */
final class UnchangedMaterial implements ProfileLoader.Reuse {
    /** What the last successful check left in force, and the file contents it was loaded from. */
    static final class Base {
        final ProfileSnapshot snapshot;
        final Set<String> kept;
        final Set<String> keptListeners;
        final ContentFingerprint files;

        Base(ProfileSnapshot snapshot, Set<String> kept, Set<String> keptListeners, ContentFingerprint files) {
            this.snapshot = snapshot;
            this.kept = Set.copyOf(kept);
            this.keptListeners = Set.copyOf(keptListeners);
            this.files = files;
        }
    }

    private final ProfileSnapshot loadedThen;
    private final Set<String> kept;
    private final Set<String> keptListeners;
    private final ContentFingerprint filesThen;
    private final ContentFingerprint filesNow;
    private final Instant now;
    private final Set<String> reused = new HashSet<>();

    private UnchangedMaterial(Base base, ContentFingerprint filesNow, Instant now) {
        this.loadedThen = base.snapshot;
        this.kept = base.kept;
        this.keptListeners = base.keptListeners;
        this.filesThen = base.files;
        this.filesNow = filesNow;
        this.now = now;
    }

    /**
     * Reuse against {@code base}, or none when there is no base or someone else published since
     * (then nothing is known about where the snapshot in force came from).
     */
    static UnchangedMaterial since(Base base, ProfileSnapshot current, ContentFingerprint filesNow, Instant now) {
        return base == null || base.snapshot != current ? null : new UnchangedMaterial(base, filesNow, now);
    }

    @Override
    public LoadedProfile reusable(ProfileDefinition definition, List<HostPattern> hosts) {
        Optional<LoadedProfile> found = loadedThen.profile(definition.name());
        if (found.isEmpty() || kept.contains(definition.name())) {
            return null;
        }
        LoadedProfile previous = found.get();
        if (!previous.isUsable() || !previous.definition().equals(definition) || !previous.hosts().equals(hosts)
                || previous.identity().map(identity -> identity.validityProblem(now).isPresent()).orElse(false)) {
            return null;
        }
        if (!unchanged(WatchedFiles.of(definition))) {
            return null;
        }
        reused.add(DistinctProblems.profileOwner(definition.name()));
        return previous;
    }

    @Override
    public LoadedListener reusableListener(ListenerDefinition definition, List<Integer> ports) {
        Optional<LoadedListener> found = loadedThen.listener(definition.name());
        if (found.isEmpty() || keptListeners.contains(definition.name())) {
            return null;
        }
        LoadedListener previous = found.get();
        if (!previous.isUsable() || !previous.definition().equals(definition) || !previous.ports().equals(ports)
                || previous.identity().isPresent() && previous.identity().get().validityProblem(now).isPresent()) {
            return null;
        }
        if (!unchanged(WatchedFiles.of(definition))) {
            return null;
        }
        reused.add(DistinctProblems.listenerOwner(definition.name()));
        return previous;
    }

    private boolean unchanged(List<Path> files) {
        for (Path file : files) {
            String state = filesNow.state(file);
            if (state == null || !state.equals(filesThen.state(file))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The profiles and listeners taken over as they were, as {@link DistinctProblems} owners:
     * their warnings were not produced again.
     */
    Set<String> reused() {
        return reused;
    }
}
