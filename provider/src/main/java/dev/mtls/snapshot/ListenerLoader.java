package dev.mtls.snapshot;

import dev.mtls.material.Identity;
import dev.mtls.material.IdentityLoader;
import dev.mtls.material.MaterialException;
import dev.mtls.material.TrustAnchors;
import dev.mtls.material.TrustLoader;
import dev.mtls.profile.ListenerDefinition;
import dev.mtls.profile.ProfileError;
import java.nio.file.Path;
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
 * text did not read, a port of it is taken by an earlier listener, its material fails to load, or
 * its certificate is expired or not yet valid: its handshakes then fail closed rather than run as
 * if no listener named them. A listener left with no port (all taken by earlier ones) and a second
 * listener without ports (the first one already covers every port) are left out with an error.
 */
final class ListenerLoader {
    private final ProfileLoader warnings;
    private final IdentityLoader identities;
    private final TrustLoader trusts;
    private final Path file;
    private final Instant now;

    ListenerLoader(ProfileLoader warnings, IdentityLoader identities, TrustLoader trusts, Path file, Instant now) {
        this.warnings = warnings;
        this.identities = identities;
        this.trusts = trusts;
        this.file = file;
        this.now = now;
    }

    /** @param reuse may be null; listeners it offers are taken as they are, their warnings not repeated */
    List<LoadedListener> load(List<ListenerDefinition> definitions, ProfileLoader.Reuse reuse,
            List<ProfileError> errors, List<ProfileError> warningsOut) {
        List<LoadedListener> loaded = new ArrayList<>();
        Map<Integer, String> owners = new HashMap<>();
        String everyPort = null;
        for (ListenerDefinition definition : definitions) {
            List<String> portProblems = new ArrayList<>();
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
                    portProblems.add("port " + port + " is already used by listener '" + owner + "'");
                }
            }
            for (String problem : portProblems) {
                errors.add(error(definition, problem));
            }
            if (ports.isEmpty() && !definition.ports().isEmpty()) {
                // Every port it named went to earlier listeners: kept, it would cover every port instead.
                continue;
            }
            Optional<String> unreadable = definition.unreadable();
            if (unreadable.isPresent()) {
                // Its error is already among the document's; the ports stay so that they fail closed.
                portProblems.add(0, unreadable.get());
                loaded.add(new LoadedListener(definition, ports, null, null, String.join("; ", portProblems)));
                continue;
            }
            LoadedListener reused = reuse == null || !portProblems.isEmpty() ? null
                    : reuse.reusableListener(definition, ports);
            loaded.add(reused != null ? reused : material(definition, ports, portProblems, errors, warningsOut));
        }
        return loaded;
    }

    /** @param portProblems already reported; they make the listener unusable along with any here */
    private LoadedListener material(ListenerDefinition definition, List<Integer> ports, List<String> portProblems,
            List<ProfileError> errors, List<ProfileError> warningsOut) {
        List<String> problems = new ArrayList<>();
        Identity identity = null;
        if (definition.identity() != null) {
            try {
                identity = identities.loadServer(definition.identity());
                Optional<String> validity = identity.validityProblem(now);
                if (validity.isPresent()) {
                    problems.add(validity.get());
                }
                Optional<String> expiry = warnings.expiryWarning(identity, now);
                if (expiry.isPresent()) {
                    warningsOut.add(error(definition, expiry.get()));
                }
                Optional<String> keyFile = ProfileLoader.keyFileWarning(definition.identity());
                if (keyFile.isPresent()) {
                    warningsOut.add(error(definition, keyFile.get()));
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
            errors.add(error(definition, problem));
        }
        problems.addAll(0, portProblems);
        String problem = problems.isEmpty() ? null : String.join("; ", problems);
        return new LoadedListener(definition, ports, identity, trust, problem);
    }

    private ProfileError error(ListenerDefinition definition, String message) {
        return ProfileError.ofListener(file, definition.name(), definition.line(), message);
    }
}
