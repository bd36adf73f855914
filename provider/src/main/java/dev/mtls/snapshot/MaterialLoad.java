package dev.mtls.snapshot;

import dev.mtls.files.BoundedReads;
import dev.mtls.files.FileTask;
import dev.mtls.material.CrlLoader;
import dev.mtls.material.Identity;
import dev.mtls.material.IdentityLoader;
import dev.mtls.material.MaterialException;
import dev.mtls.material.RevocationList;
import dev.mtls.material.TrustAnchors;
import dev.mtls.material.TrustLoader;
import dev.mtls.material.Validity;
import dev.mtls.profile.IdentitySpec;
import dev.mtls.profile.TrustSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The key material of one profile or listener, read and checked the same way for both: what
 * loaded, why it cannot be used (problems), and what an operator should act on (warnings). The
 * caller names the owner in the messages.
 */
final class MaterialLoad {
    private static final FileTask<Set<PosixFilePermission>> PERMISSIONS = new PosixPermissions();

    final Identity identity;
    final TrustAnchors trust;
    final List<String> problems;
    final List<String> warnings;

    private MaterialLoad(Identity identity, TrustAnchors trust, List<String> problems, List<String> warnings) {
        this.identity = identity;
        this.trust = trust;
        this.problems = problems;
        this.warnings = warnings;
    }

    /**
     * @param identitySpec null when there is no identity to load
     * @param server whether the identity is a listener's, for a TLS server (else a client's)
     * @param trustSpec null when there are no CAs to load
     */
    static MaterialLoad read(IdentityLoader identities, IdentitySpec identitySpec, boolean server, TrustLoader trusts,
            TrustSpec trustSpec, Instant now, Duration expiryWarning) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Identity identity = null;
        if (identitySpec != null) {
            try {
                identity = server ? identities.loadServer(identitySpec) : identities.load(identitySpec);
                // Plain ifs rather than Optional.ifPresent with lambdas: this runs in the first TLS call, where
                // each lambda spins a class (see docs/PERFORMANCE.md).
                Optional<String> validity = identity.validityProblem(now);
                if (validity.isPresent()) {
                    problems.add(validity.get());
                }
                Optional<String> expiry = expiryWarning(identity, now, expiryWarning);
                if (expiry.isPresent()) {
                    warnings.add(expiry.get());
                }
                Optional<String> keyFile = keyFileWarning(identitySpec);
                if (keyFile.isPresent()) {
                    warnings.add(keyFile.get());
                }
            } catch (MaterialException e) {
                problems.add(e.getMessage());
            }
        }
        TrustAnchors trust = null;
        if (trustSpec != null) {
            try {
                trust = withRevocationLists(trusts.load(trustSpec), trustSpec, now, warnings);
            } catch (MaterialException e) {
                // A CRL that did not load leaves no trust either: revocation is a mandatory check,
                // and the CAs alone would let revoked peers through (fail closed).
                problems.add(e.getMessage());
            }
        }
        return new MaterialLoad(identity, trust, problems, warnings);
    }

    /** The trust with its {@code trust.revocation.crl} files loaded; a CRL past its nextUpdate is a warning. */
    private static TrustAnchors withRevocationLists(TrustAnchors trust, TrustSpec spec, Instant now,
            List<String> warnings) throws MaterialException {
        if (spec.revocation() == null || spec.revocation().crls().isEmpty()) {
            return trust;
        }
        List<RevocationList> lists = CrlLoader.load(spec.revocation().crls());
        for (RevocationList list : lists) {
            String stale = CrlLoader.staleWarning(list, now);
            if (stale != null) {
                warnings.add(stale);
            }
        }
        return trust.withRevocationLists(lists);
    }

    private static Optional<String> expiryWarning(Identity identity, Instant now, Duration expiryWarning) {
        Validity validity = Validity.of(identity.leaf(), now, expiryWarning);
        return validity.state() == Validity.State.EXPIRING ? Optional.of(validity.sentence()) : Optional.empty();
    }

    /** A private key anyone on the machine can read is worth a warning, not a refusal. */
    private static Optional<String> keyFileWarning(IdentitySpec spec) {
        if (spec.isPkcs11()) {
            return Optional.empty();
        }
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

    private static final class PosixPermissions implements FileTask<Set<PosixFilePermission>> {
        @Override
        public Set<PosixFilePermission> apply(Path file) throws IOException {
            return Files.getPosixFilePermissions(file);
        }
    }
}
