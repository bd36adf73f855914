package dev.mtls.snapshot;

import dev.mtls.match.HostPattern;
import dev.mtls.match.IpLiterals;
import dev.mtls.material.IdentityLoader;
import dev.mtls.material.TrustLoader;
import dev.mtls.profile.AllowEntry;
import dev.mtls.profile.ListenerDefinition;
import dev.mtls.profile.ProfileError;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the listeners of one file for {@link ProfileLoader}: each on its own, its server identity
 * through the same loader as profiles' identities (checked for use by a TLS server), its client
 * CAs through the same trust loader.
 *
 * <p>A listener stays in the snapshot for every port it can keep, marked with its problem when its
 * text did not read, a port of it is taken by an earlier listener, a {@code dns} or {@code ip}
 * allow entry is invalid (checked here with the host-pattern rules, as a profile's hosts are), its
 * material fails to load, or its certificate is expired or not yet valid: its handshakes then fail closed rather than run as
 * if no listener named them. A listener left with no port (all taken by earlier ones) and a second
 * listener without ports (the first one already covers every port) are left out with an error.
 */
final class ListenerLoader {
    private final IdentityLoader identities;
    private final TrustLoader trusts;
    private final Duration expiryWarning;
    private final Path file;
    private final Instant now;

    ListenerLoader(IdentityLoader identities, TrustLoader trusts, Duration expiryWarning, Path file, Instant now) {
        this.identities = identities;
        this.trusts = trusts;
        this.expiryWarning = expiryWarning;
        this.file = file;
        this.now = now;
    }

    /** @param reuse may be null; listeners it offers are taken as they are, their warnings not repeated */
    List<LoadedListener> load(List<ListenerDefinition> definitions, ProfileLoader.Reuse reuse,
            List<ProfileError> errors, List<ProfileError> warnings) {
        List<LoadedListener> loaded = new ArrayList<>();
        Map<Integer, String> owners = new HashMap<>();
        String everyPort = null;
        for (ListenerDefinition definition : definitions) {
            List<String> ruleProblems = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            if (definition.ports().isEmpty()) {
                if (everyPort != null) {
                    errors.add(error(definition, "no ports given, but listener '" + everyPort + "' already covers"
                            + " every port without naming ports; at most one listener may leave ports out"));
                    continue;
                }
                everyPort = definition.name();
            }
            for (Integer port : definition.ports()) {
                String owner = owners.putIfAbsent(port, definition.name());
                if (owner == null) {
                    ports.add(port);
                } else {
                    ruleProblems.add("port " + port + " is already used by listener '" + owner + "'");
                }
            }
            allowProblems(definition, ruleProblems);
            for (String problem : ruleProblems) {
                errors.add(error(definition, problem));
            }
            if (ports.isEmpty() && !definition.ports().isEmpty()) {
                // Every port it named went to earlier listeners: kept, it would cover every port instead.
                continue;
            }
            Optional<String> unreadable = definition.unreadable();
            if (unreadable.isPresent()) {
                // Its error is already among the document's; the ports stay so that they fail closed.
                ruleProblems.add(0, unreadable.get());
                loaded.add(new LoadedListener(definition, ports, null, null, String.join("; ", ruleProblems)));
                continue;
            }
            LoadedListener reused = reuse == null || !ruleProblems.isEmpty() ? null
                    : reuse.reusableListener(definition, ports);
            loaded.add(reused != null ? reused : material(definition, ports, ruleProblems, errors, warnings));
        }
        return loaded;
    }

    /**
     * {@code dns} entries follow host-pattern rules, without what a SAN cannot carry (a port, an
     * address, the default {@code *}); {@code ip} entries are IPv4 or IPv6 literals.
     */
    private static void allowProblems(ListenerDefinition definition, List<String> problems) {
        for (AllowEntry entry : definition.allow()) {
            String pattern = entry.pattern();
            if (entry.kind() == AllowEntry.Kind.IP && !IpLiterals.isIpLiteral(pattern)) {
                problems.add("allow.ip '" + pattern + "' is not an IPv4 or IPv6 address");
            } else if (entry.kind() == AllowEntry.Kind.DNS) {
                HostPattern parsed;
                try {
                    parsed = HostPattern.parse(pattern);
                } catch (IllegalArgumentException e) {
                    problems.add("allow.dns: " + e.getMessage());
                    continue;
                }
                if (parsed.isDefault() || parsed.port() != -1 || IpLiterals.isIpLiteral(parsed.host())) {
                    problems.add("allow.dns '" + pattern + "' must be a DNS name or a *.suffix wildcard without a"
                            + " port (use allow.ip for an address)");
                }
            }
        }
    }

    /** @param ruleProblems already reported; they make the listener unusable along with any here */
    private LoadedListener material(ListenerDefinition definition, List<Integer> ports, List<String> ruleProblems,
            List<ProfileError> errors, List<ProfileError> warnings) {
        MaterialLoad material = MaterialLoad.read(identities, definition.identity(), true, trusts,
                definition.trust(), now, expiryWarning);
        for (String warning : material.warnings) {
            warnings.add(error(definition, warning));
        }
        for (String problem : material.problems) {
            errors.add(error(definition, problem));
        }
        List<String> problems = new ArrayList<>(ruleProblems);
        problems.addAll(material.problems);
        String problem = problems.isEmpty() ? null : String.join("; ", problems);
        return new LoadedListener(definition, ports, material.identity, material.trust, problem);
    }

    private ProfileError error(ListenerDefinition definition, String message) {
        return ProfileError.ofListener(file, definition.name(), definition.line(), message);
    }
}
