package dev.mtls.reload;

import dev.mtls.match.HostPattern;
import dev.mtls.material.Identity;
import dev.mtls.profile.ProfileError;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The last-good rule of a reload (docs/RELOAD.md, "When something breaks"): a profile that
 * loaded before and no longer does keeps its previous version while the others update.
 *
 * <ul>
 *   <li>Loads and is usable: the new version.
 *   <li>Loads with a problem (its text does not read, a host pattern is invalid or taken,
 *       material missing, key mismatch, expired): the previous version if that one was usable
 *       (and, for a token identity, still signs: {@link LastGoodVersions}), else the new one, so
 *       its hosts fail closed with the latest reason.
 *   <li>Does not load at all (an error names it, it is not in the new snapshot because none of
 *       its hosts can be read or routed): the previous version, usable or not, if there was one.
 *   <li>Gone from the file with no error naming it: removed.
 * </ul>
 *
 * <p>Host patterns: the file as it is now wins. If a kept previous version claims a pattern that
 * a profile loaded from the current file also claims, the pattern goes to the current one and is
 * dropped from the kept version (an operator who moved a host from a broken profile to another
 * profile meant that host to move); a kept version left with no pattern is dropped. Each such
 * decision comes back as a note for the log.
 */
final class LastGoodMerge {
    private final List<LoadedProfile> profiles;
    private final Set<String> kept;
    private final List<ProfileError> notes;

    private LastGoodMerge(List<LoadedProfile> profiles, Set<String> kept, List<ProfileError> notes) {
        this.profiles = List.copyOf(profiles);
        this.kept = Set.copyOf(kept);
        this.notes = List.copyOf(notes);
    }

    /** The profiles to publish, in file order (kept versions of profiles that failed to parse last). */
    List<LoadedProfile> profiles() {
        return profiles;
    }

    /** Names of the profiles whose previous version was kept. */
    Set<String> kept() {
        return kept;
    }

    /** What an operator should know about each kept version. */
    List<ProfileError> notes() {
        return notes;
    }

    static LastGoodMerge of(ProfileSnapshot previous, LoadResult result) {
        Set<String> kept = new HashSet<>();
        ProfileVersions versions = new ProfileVersions(previous);
        List<LoadedProfile> chosen = versions.choose(result.snapshot().profiles(),
                result.errors(), kept);
        return resolvePatterns(result.document().file(), chosen, kept, versions);
    }

    private static final class ProfileVersions extends LastGoodVersions<LoadedProfile> {
        private final ProfileSnapshot previous;

        ProfileVersions(ProfileSnapshot previous) {
            this.previous = previous;
        }

        @Override
        String name(LoadedProfile entry) {
            return entry.name();
        }

        @Override
        boolean isUsable(LoadedProfile entry) {
            return entry.isUsable();
        }

        @Override
        Optional<Identity> identity(LoadedProfile entry) {
            return entry.identity();
        }

        @Override
        Optional<LoadedProfile> previous(String name) {
            return previous.profile(name);
        }

        @Override
        String owner(ProfileError error) {
            return error.profile();
        }
    }

    private static LastGoodMerge resolvePatterns(Path file, List<LoadedProfile> chosen, Set<String> kept,
            ProfileVersions versions) {
        Map<HostPattern, String> owners = new HashMap<>();
        for (LoadedProfile profile : chosen) {
            if (!kept.contains(profile.name())) {
                for (HostPattern pattern : profile.hosts()) {
                    owners.put(pattern, profile.name());
                }
            }
        }
        List<LoadedProfile> merged = new ArrayList<>();
        Set<String> keptInTheEnd = new HashSet<>();
        List<ProfileError> notes = new ArrayList<>();
        for (LoadedProfile profile : chosen) {
            String tokenCheck = versions.tokenCheck(profile.name());
            if (!kept.contains(profile.name())) {
                if (tokenCheck != null) {
                    notes.add(new ProfileError(file, profile.name(), 0, tokenCheck));
                }
                merged.add(profile);
                continue;
            }
            List<HostPattern> free = new ArrayList<>();
            List<String> lost = new ArrayList<>();
            for (HostPattern pattern : profile.hosts()) {
                String owner = owners.get(pattern);
                if (owner == null) {
                    free.add(pattern);
                } else {
                    lost.add("'" + pattern + "' (now profile '" + owner + "')");
                }
            }
            if (free.isEmpty()) {
                notes.add(new ProfileError(file, profile.name(), 0, "its previous version is dropped as well: every"
                        + " host pattern it had now belongs to another profile: " + String.join(", ", lost)));
                continue;
            }
            notes.add(new ProfileError(file, profile.name(), 0, "keeping its previous version until the error is"
                    + " fixed" + (lost.isEmpty() ? "" : "; host patterns taken over by other profiles: "
                    + String.join(", ", lost)) + (tokenCheck == null ? "" : "; " + tokenCheck)));
            keptInTheEnd.add(profile.name());
            merged.add(lost.isEmpty() ? profile : new LoadedProfile(profile.definition(), free,
                    profile.identity().orElse(null), profile.trust().orElse(null), profile.problem().orElse(null)));
        }
        return new LastGoodMerge(merged, keptInTheEnd, notes);
    }
}
