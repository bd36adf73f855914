package dev.mtls.jsse;

import dev.mtls.log.MtlsLog;
import dev.mtls.material.Identity;
import dev.mtls.sessions.Peer;
import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.snapshot.ProfileSource;
import dev.mtls.snapshot.ProfileUsability;
import java.lang.System.Logger.Level;
import java.security.cert.CertificateException;
import java.time.Instant;

/**
 * The profile one client handshake is routed to, found once per key- or trust-manager call, and
 * the decisions both managers must agree on: which identity to present, and whether the
 * handshake must fail because the operator's profile cannot be honoured.
 */
final class ProfileRoute {
    private final ProfileSnapshot snapshot;
    private final LoadedProfile profile;
    private final Peer peer;

    private ProfileRoute(ProfileSnapshot snapshot, LoadedProfile profile, Peer peer) {
        this.snapshot = snapshot;
        this.profile = profile;
        this.peer = peer;
    }

    /**
     * The route for a peer, or null when no profile matches. An internal failure counts as no
     * match (and is logged): the connection then behaves exactly as it would without the agent.
     */
    static ProfileRoute find(ProfileSource source, Peer peer) {
        if (peer == null) {
            return null;
        }
        try {
            ProfileSnapshot snapshot = source.current();
            Peer.Match match = peer.matchIn(snapshot);
            if (match == null) {
                return null;
            }
            if (MtlsLog.enabled(Level.DEBUG)) {
                MtlsLog.debug(match.peer() + " matches " + match.match());
            }
            return new ProfileRoute(snapshot, match.profile(), match.peer());
        } catch (RuntimeException | LinkageError e) {
            MtlsLog.once("route failure " + e.getClass().getName(), Level.WARNING,
                    "could not route " + peer + "; leaving it to the application", e);
            return null;
        }
    }

    ProfileSnapshot snapshot() {
        return snapshot;
    }

    LoadedProfile profile() {
        return profile;
    }

    Peer peer() {
        return peer;
    }

    /** A trust-only profile: the application's own key manager answers, as it would without us. */
    boolean keepsApplicationIdentity() {
        return profile.definition().keepsApplicationIdentity();
    }

    /** The identity to present, or null when the profile's identity cannot be used (checked anew each time). */
    Identity usableIdentity() {
        return ProfileUsability.usableIdentity(profile, Instant.now());
    }

    /**
     * Fails the handshake when the profile cannot be honoured (see
     * {@link ProfileUsability#handshakeFailure}); an optional profile without a usable identity is
     * logged once per host and let through.
     */
    void requireUsable() throws CertificateException {
        String failure = ProfileUsability.handshakeFailure(profile, Instant.now());
        if (failure != null) {
            throw new CertificateException(failure);
        }
        warnOptionalWithoutIdentity();
    }

    /** An optional profile connecting without its certificate: once per profile, host and problem. */
    void warnOptionalWithoutIdentity() {
        if (keepsApplicationIdentity() || usableIdentity() != null) {
            return;
        }
        MtlsLog.once(profile.name() + '\n' + peer.host() + '\n' + reason(), Level.WARNING,
                "profile '" + profile.name() + "' (optional) has no usable client certificate; connecting to "
                        + peer.host() + " without one: " + reason());
    }

    String prefix() {
        return ProfileUsability.prefix(profile);
    }

    private String reason() {
        return ProfileUsability.reason(profile, Instant.now());
    }
}
