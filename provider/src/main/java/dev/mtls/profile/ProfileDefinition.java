package dev.mtls.profile;

import java.util.List;
import java.util.Objects;

/**
 * One profile as the file states it, before any key material is read. Host patterns are kept as
 * written; {@link dev.mtls.match.HostPattern#parse(String)} validates them when the profile loads.
 */
public final class ProfileDefinition {
    private final String name;
    private final List<String> hosts;
    private final Mode mode;
    private final IdentitySpec identity;
    private final TrustSpec trust;
    private final boolean verifyHostname;
    private final int line;

    /**
     * @param identity null for a trust-only profile
     * @param trust null to keep the application's own trust
     * @param line where the profile starts in its file, 1-based; 0 when unknown
     */
    public ProfileDefinition(String name, List<String> hosts, Mode mode, IdentitySpec identity, TrustSpec trust,
            boolean verifyHostname, int line) {
        this.name = Objects.requireNonNull(name, "name");
        this.hosts = List.copyOf(hosts);
        this.mode = Objects.requireNonNull(mode, "mode");
        this.identity = identity;
        this.trust = trust;
        this.verifyHostname = verifyHostname;
        this.line = line;
    }

    public String name() {
        return name;
    }

    public List<String> hosts() {
        return hosts;
    }

    public Mode mode() {
        return mode;
    }

    public IdentitySpec identity() {
        return identity;
    }

    public TrustSpec trust() {
        return trust;
    }

    public boolean verifyHostname() {
        return verifyHostname;
    }

    public int line() {
        return line;
    }

    /** Equal definitions load to equal profiles (if the files they name did not change). */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ProfileDefinition)) {
            return false;
        }
        ProfileDefinition that = (ProfileDefinition) other;
        return verifyHostname == that.verifyHostname && name.equals(that.name) && hosts.equals(that.hosts)
                && mode == that.mode && Objects.equals(identity, that.identity) && Objects.equals(trust, that.trust);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, hosts, mode, identity, trust, verifyHostname);
    }

    @Override
    public String toString() {
        return "profile '" + name + "' " + hosts;
    }
}
