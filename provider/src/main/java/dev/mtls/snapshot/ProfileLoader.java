package dev.mtls.snapshot;

import dev.mtls.files.BoundedReads;
import dev.mtls.files.FileTask;
import dev.mtls.match.HostPattern;
import dev.mtls.material.Identity;
import dev.mtls.material.IdentityLoader;
import dev.mtls.material.MaterialException;
import dev.mtls.material.TrustAnchors;
import dev.mtls.material.TrustLoader;
import dev.mtls.profile.IdentitySpec;
import dev.mtls.profile.ListenerDefinition;
import dev.mtls.profile.ProfileDefinition;
import dev.mtls.profile.ProfileDocument;
import dev.mtls.profile.ProfileError;
import dev.mtls.profile.ProfileFileException;
import dev.mtls.profile.ProfileFileReader;
import dev.mtls.profile.SecretResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a profile file into a {@link ProfileSnapshot}. Each profile and each listener
 * ({@link ListenerLoader}) is loaded on its own: one bad one yields one precise error and never
 * hides the good ones.
 *
 * <p>A profile stays in the snapshot for every host of it that can be routed, marked with its
 * problem when its text did not read (see {@link ProfileDefinition#unreadable}), one of its host
 * patterns is invalid or taken by an earlier profile, its key material fails to load, or its
 * certificate is expired or not yet valid: its hosts then fail closed in mandatory mode rather
 * than silently connecting without the certificate. Only a profile with no routable host is
 * left out (nothing could reach it anyway).
 */
public final class ProfileLoader {
    private final ProfileFileReader reader;
    private final IdentityLoader identities;
    private final TrustLoader trusts;
    private final Clock clock;
    private final Duration expiryWarning;

    public ProfileLoader(ProfileFileReader reader, IdentityLoader identities, TrustLoader trusts, Clock clock,
            Duration expiryWarning) {
        this.reader = reader;
        this.identities = identities;
        this.trusts = trusts;
        this.clock = clock;
        this.expiryWarning = expiryWarning;
    }

    /** A loader for this process: its environment, system properties and clock; warns 14 days ahead. */
    public static ProfileLoader system() {
        return new ProfileLoader(new ProfileFileReader(SecretResolver.system()), new IdentityLoader(),
                new TrustLoader(), Clock.systemUTC(), Duration.ofDays(14));
    }

    /**
     * Lets a reload keep a profile it loaded before instead of reading and checking its key
     * material again (the EC key-pair check alone costs milliseconds per profile).
     */
    @FunctionalInterface
    public interface Reuse {
        /**
         * A profile loaded earlier that loading {@code definition} now would reproduce exactly
         * (same definition, same host patterns, its files unchanged, still valid), or null.
         */
        LoadedProfile reusable(ProfileDefinition definition, List<HostPattern> hosts);

        /** As {@link #reusable} for a listener that keeps {@code ports}; none unless overridden. */
        default LoadedListener reusableListener(ListenerDefinition definition, List<Integer> ports) {
            return null;
        }
    }

    /**
     * @param base the folder relative paths resolve against; null for the file's own folder
     * @throws ProfileFileException when the file as a whole cannot be used
     */
    public LoadResult load(Path file, Path base, long generation) throws ProfileFileException {
        return load(file, base, generation, null);
    }

    /**
     * As {@link #load(Path, Path, long)}, taking a profile from {@code reuse} where it offers one;
     * its warnings are then not repeated.
     */
    public LoadResult load(Path file, Path base, long generation, Reuse reuse) throws ProfileFileException {
        ProfileDocument document = reader.read(file, base);
        Instant now = clock.instant();
        List<ProfileError> errors = new ArrayList<>(document.errors());
        List<ProfileError> warnings = new ArrayList<>();
        List<LoadedProfile> loaded = new ArrayList<>();
        Map<HostPattern, String> owners = new HashMap<>();
        for (ProfileDefinition definition : document.profiles()) {
            List<String> hostProblems = new ArrayList<>();
            List<HostPattern> hosts = hostPatterns(definition, owners, hostProblems);
            for (String problem : hostProblems) {
                errors.add(new ProfileError(file, definition.name(), definition.line(), problem));
            }
            if (hosts.isEmpty()) {
                continue;
            }
            Optional<String> unreadable = definition.unreadable();
            if (unreadable.isPresent()) {
                // Its error is already among the document's; the hosts stay so that they fail closed.
                hostProblems.add(0, unreadable.get());
                loaded.add(new LoadedProfile(definition, hosts, null, null, String.join("; ", hostProblems)));
                continue;
            }
            LoadedProfile reused = reuse == null || !hostProblems.isEmpty() ? null : reuse.reusable(definition, hosts);
            loaded.add(reused != null ? reused
                    : loadMaterial(definition, hosts, hostProblems, file, now, errors, warnings));
        }
        List<LoadedListener> listeners = new ListenerLoader(this, identities, trusts, file, now)
                .load(document.listeners(), reuse, errors, warnings);
        ProfileSnapshot snapshot = new ProfileSnapshot(generation, file, now, document.reload().orElse(null), loaded,
                listeners);
        return new LoadResult(document, snapshot, errors, warnings);
    }

    /**
     * The profile's usable patterns, each claimed in {@code owners}, in file order. A pattern
     * that does not parse, or that an earlier profile already claimed, is left out with a
     * problem: the profile keeps its other hosts but is unusable, so they fail closed instead of
     * the whole profile vanishing. An empty list means nothing can be routed to it.
     */
    private static List<HostPattern> hostPatterns(ProfileDefinition definition, Map<HostPattern, String> owners,
            List<String> problems) {
        // Repeats are found in owners, one hash lookup each, never by searching this list: a
        // profile may list 100,000 hosts (List.contains made that minutes; docs/PERFORMANCE.md).
        List<HostPattern> patterns = new ArrayList<>();
        for (String text : definition.hosts()) {
            HostPattern pattern;
            try {
                pattern = HostPattern.parse(text);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                continue;
            }
            String owner = owners.putIfAbsent(pattern, definition.name());
            if (owner == null) {
                patterns.add(pattern);
            } else if (!owner.equals(definition.name())) {
                problems.add("host pattern '" + pattern + "' is already used by profile '" + owner + "'");
            }
            // Otherwise the same pattern twice in this profile: kept once.
        }
        return patterns;
    }

    /** @param hostProblems already reported; they make the profile unusable along with any here */
    private LoadedProfile loadMaterial(ProfileDefinition definition, List<HostPattern> hosts,
            List<String> hostProblems, Path file, Instant now, List<ProfileError> errors,
            List<ProfileError> warnings) {
        List<String> problems = new ArrayList<>();
        Identity identity = null;
        if (definition.identity() != null) {
            try {
                identity = identities.load(definition.identity());
                // Plain ifs rather than Optional.ifPresent with lambdas: this runs in the first TLS call, where
                // each lambda spins a class (see docs/PERFORMANCE.md).
                Optional<String> validity = identity.validityProblem(now);
                if (validity.isPresent()) {
                    problems.add(validity.get());
                }
                Optional<String> expiry = expiryWarning(identity, now);
                if (expiry.isPresent()) {
                    warnings.add(new ProfileError(file, definition.name(), definition.line(), expiry.get()));
                }
                Optional<String> keyFile = keyFileWarning(definition.identity());
                if (keyFile.isPresent()) {
                    warnings.add(new ProfileError(file, definition.name(), definition.line(), keyFile.get()));
                }
            } catch (MaterialException e) {
                problems.add(e.getMessage());
            }
        }
        TrustAnchors trust = null;
        if (definition.trust() != null) {
            try {
                trust = trusts.load(definition.trust());
            } catch (MaterialException e) {
                problems.add(e.getMessage());
            }
        }
        for (String problem : problems) {
            errors.add(new ProfileError(file, definition.name(), definition.line(), problem));
        }
        problems.addAll(0, hostProblems);
        String problem = problems.isEmpty() ? null : String.join("; ", problems);
        return new LoadedProfile(definition, hosts, identity, trust, problem);
    }

    Optional<String> expiryWarning(Identity identity, Instant now) {
        Instant notAfter = identity.leaf().getNotAfter().toInstant();
        // Not now.plus(expiryWarning): a warning too long for an Instant would throw and lose the profile.
        if (now.isBefore(notAfter) && Duration.between(now, notAfter).compareTo(expiryWarning) < 0) {
            long days = ChronoUnit.DAYS.between(now, notAfter);
            return Optional.of("certificate " + identity.leaf().getSubjectX500Principal()
                    + " expires on " + notAfter + " (in " + days + (days == 1 ? " day)" : " days)"));
        }
        return Optional.empty();
    }

    /** A private key anyone on the machine can read is worth a warning, not a refusal. */
    static Optional<String> keyFileWarning(IdentitySpec spec) {
        Path keyFile = spec.isKeyStore() ? spec.keyStore() : spec.key();
        try {
            // A stat too can hang on a dead network mount: bounded like every read.
            Set<PosixFilePermission> permissions = BoundedReads.shared().run(keyFile, PERMISSIONS);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                return Optional.of("private key file " + keyFile
                        + " is readable by group or others; chmod 600 it");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system, or the file vanished (or hung) after loading: nothing to warn about.
        }
        return Optional.empty();
    }

    private static final FileTask<Set<PosixFilePermission>> PERMISSIONS = new PosixPermissions();

    private static final class PosixPermissions implements FileTask<Set<PosixFilePermission>> {
        @Override
        public Set<PosixFilePermission> apply(Path file) throws IOException {
            return Files.getPosixFilePermissions(file);
        }
    }
}
