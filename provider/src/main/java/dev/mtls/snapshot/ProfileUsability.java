package dev.mtls.snapshot;

import dev.mtls.material.Identity;
import dev.mtls.profile.Mode;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a profile can be honoured as it stands: the one place that decides it, for the routing
 * managers at handshake time and for {@code probe}, which must blame the profile (not the server)
 * for a handshake the profile itself fails.
 */
public final class ProfileUsability {
    private ProfileUsability() {
    }

    /**
     * The message a handshake to the profile's hosts fails with, or null when it goes ahead: a
     * mandatory profile with any problem, or a trust or tls section that did not load (in either mode:
     * falling back to the application's trust would accept servers the operator meant to exclude).
     * An optional profile without a usable identity goes ahead without a certificate.
     */
    public static String handshakeFailure(LoadedProfile profile, Instant now) {
        if (profile.definition().declaresTrust() && profile.trust().isEmpty()) {
            return prefix(profile) + " cannot check its servers as configured: " + reason(profile, now);
        }
        boolean identityMissing = identityProblem(profile, now) != null;
        if (profile.isUsable() && !identityMissing || profile.mode() == Mode.OPTIONAL) {
            return null;
        }
        return prefix(profile) + (identityMissing ? " has no usable client certificate: " : " cannot be used: ")
                + reason(profile, now);
    }

    /**
     * Why a profile that should present a certificate presents none (it did not load or read, or it
     * is expired or not yet valid), or null when it presents one or is a readable trust-only profile.
     */
    public static String identityProblem(LoadedProfile profile, Instant now) {
        if (profile.definition().keepsApplicationIdentity()) {
            return null;
        }
        return usableIdentity(profile, now) == null ? reason(profile, now) : null;
    }

    /**
     * The identity to present, or null when it cannot be used. Validity is checked at every call
     * because a certificate can expire between reloads (or with reload off).
     */
    public static Identity usableIdentity(LoadedProfile profile, Instant now) {
        Identity identity = profile.isUsable() ? profile.identity().orElse(null) : null;
        return identity == null || identity.validityProblem(now).isPresent() ? null : identity;
    }

    public static String prefix(LoadedProfile profile) {
        return "mtls-agent: profile '" + profile.name() + "'";
    }

    public static String reason(LoadedProfile profile, Instant now) {
        Optional<String> problem = profile.problem();
        if (problem.isPresent()) {
            return problem.get();
        }
        Optional<String> expiry = profile.identity().flatMap(identity -> identity.validityProblem(now));
        return expiry.orElse("its key material did not load");
    }
}
