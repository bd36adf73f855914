package dev.mtls.snapshot;

import dev.mtls.log.Printable;
import dev.mtls.match.HostPattern;
import dev.mtls.material.Identity;
import dev.mtls.material.TrustAnchors;
import dev.mtls.profile.Mode;
import dev.mtls.profile.ProfileDefinition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A profile after its key material was read. It stays in the snapshot even when its material
 * could not be used, so that a {@link Mode#MANDATORY mandatory} profile fails its hosts' handshakes
 * with the reason instead of letting them connect without the certificate the operator asked for.
 */
public final class LoadedProfile {
    private final ProfileDefinition definition;
    private final List<HostPattern> hosts;
    private final Identity identity;
    private final TrustAnchors trust;
    private final String problem;

    /**
     * @param identity null for a trust-only profile, or when it failed to load
     * @param trust null to keep the application's trust, or when it failed to load
     * @param problem why the profile cannot be used as configured, or null when it can
     */
    public LoadedProfile(ProfileDefinition definition, List<HostPattern> hosts, Identity identity, TrustAnchors trust,
            String problem) {
        this.definition = Objects.requireNonNull(definition, "definition");
        this.hosts = List.copyOf(hosts);
        this.identity = identity;
        this.trust = trust;
        this.problem = Printable.escape(problem);
    }

    public String name() {
        return definition.name();
    }

    public ProfileDefinition definition() {
        return definition;
    }

    public List<HostPattern> hosts() {
        return hosts;
    }

    public Mode mode() {
        return definition.mode();
    }

    public boolean verifyHostname() {
        return definition.verifyHostname();
    }

    /** The identity to present, when the profile has one and it loaded (it may still be expired). */
    public Optional<Identity> identity() {
        return Optional.ofNullable(identity);
    }

    /** The profile's own CAs, when it has a trust section and it loaded. */
    public Optional<TrustAnchors> trust() {
        return Optional.ofNullable(trust);
    }

    /** Why this profile cannot be used as configured: failed to load, expired, not yet valid. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    public boolean isUsable() {
        return problem == null;
    }

    @Override
    public String toString() {
        return "profile '" + name() + "'";
    }
}
