package dev.mtls.snapshot;

import dev.mtls.match.HostPattern;
import dev.mtls.match.IpLiterals;
import dev.mtls.material.IdentityLoader;
import dev.mtls.material.TrustLoader;
import dev.mtls.material.Validity;
import dev.mtls.profile.ListenerDefinition;
import dev.mtls.profile.ProfileDefinition;
import dev.mtls.profile.ProfileDocument;
import dev.mtls.profile.ProfileError;
import dev.mtls.profile.ProfileFileException;
import dev.mtls.profile.ProfileFileReader;
import dev.mtls.profile.SecretResolver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
                new TrustLoader(), Clock.systemUTC(), Validity.DEFAULT_WARNING);
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
            List<String> nameProblems = serverNameProblems(definition);
            hostProblems.addAll(nameProblems);
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
                    : loadMaterial(definition, hosts, hostProblems, !nameProblems.isEmpty(), file, now, errors,
                            warnings));
        }
        // No listener classes for a file without listeners: this runs in the first TLS call.
        List<LoadedListener> listeners = document.listeners().isEmpty() ? List.of()
                : new ListenerLoader(identities, trusts, expiryWarning, file, now)
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

    /**
     * @param hostProblems already reported; they make the profile unusable along with any here
     * @param withholdTrust whether a check of the trust section cannot be made (then no trust loads)
     */
    private LoadedProfile loadMaterial(ProfileDefinition definition, List<HostPattern> hosts,
            List<String> hostProblems, boolean withholdTrust, Path file, Instant now, List<ProfileError> errors,
            List<ProfileError> warnings) {
        MaterialLoad material = MaterialLoad.read(identities, definition.identity(), false, trusts,
                definition.trust(), now, expiryWarning);
        for (String warning : material.warnings) {
            warnings.add(new ProfileError(file, definition.name(), definition.line(), warning));
        }
        for (String problem : material.problems) {
            errors.add(new ProfileError(file, definition.name(), definition.line(), problem));
        }
        List<String> problems = new ArrayList<>(hostProblems);
        problems.addAll(material.problems);
        String problem = problems.isEmpty() ? null : String.join("; ", problems);
        // A server-name check that cannot be made withholds the trust, so the hosts fail closed in
        // either mode, as a trust section that did not load does: never a weaker check.
        return new LoadedProfile(definition, hosts, material.identity, withholdTrust ? null : material.trust,
                problem);
    }

    /**
     * {@code trust.serverNames} DNS names and addresses follow the host-pattern rules, without what
     * a certificate cannot carry (a port, the default {@code *}); the parser has checked their form
     * and the URIs' (an entry with a colon that is no IP literal).
     */
    private static List<String> serverNameProblems(ProfileDefinition definition) {
        if (definition.trust() == null || definition.trust().serverNames().isEmpty()) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (String name : definition.trust().serverNames()) {
            if (name.indexOf(':') > 0 && !IpLiterals.isIpLiteral(name)) {
                continue;
            }
            try {
                HostPattern parsed = HostPattern.parse(name);
                if (parsed.isDefault() || parsed.port() != -1) {
                    problems.add("trust.serverNames '" + name + "' must be a DNS name, a *.suffix wildcard or an IP"
                            + " address, without a port");
                }
            } catch (IllegalArgumentException e) {
                problems.add("trust.serverNames: " + e.getMessage().replace("bad host pattern", "bad name"));
            }
        }
        return problems;
    }
}
