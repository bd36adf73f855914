package dev.mtls.profile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One profile as the file states it, before any key material is read. Host patterns are kept as
 * written; {@link dev.mtls.match.HostPattern#parse(String)} validates them when the profile loads.
 *
 * <p>A profile whose text has an error but whose hosts could be read is kept too, as an
 * {@link #unreadable unreadable} definition: it has no identity or trust to load, only its
 * hosts, its mode (mandatory when the mode itself is unreadable) and the reason. Left out, its
 * hosts would connect as if no profile named them: without the client certificate and with the
 * application's trust, the opposite of what the operator asked for.
 */
public final class ProfileDefinition {
    private final String name;
    private final List<String> hosts;
    private final Mode mode;
    private final IdentitySpec identity;
    private final TrustSpec trust;
    private final boolean verifyHostname;
    private final int line;
    private final String unreadable;
    private final boolean declaresTrust;
    private final TlsSpec tls;

    /**
     * @param identity null for a trust-only profile
     * @param trust null to keep the application's own trust
     * @param line where the profile starts in its file, 1-based; 0 when unknown
     */
    public ProfileDefinition(String name, List<String> hosts, Mode mode, IdentitySpec identity, TrustSpec trust,
            boolean verifyHostname, int line) {
        this(name, hosts, mode, identity, trust, verifyHostname, line, null, trust != null, null);
    }

    /** @param tls the protocol versions and suites its handshakes may negotiate; null for the application's */
    public ProfileDefinition(String name, List<String> hosts, Mode mode, IdentitySpec identity, TrustSpec trust,
            TlsSpec tls, boolean verifyHostname, int line) {
        this(name, hosts, mode, identity, trust, verifyHostname, line, null, trust != null, tls);
    }

    private ProfileDefinition(String name, List<String> hosts, Mode mode, IdentitySpec identity, TrustSpec trust,
            boolean verifyHostname, int line, String unreadable, boolean declaresTrust, TlsSpec tls) {
        this.name = Objects.requireNonNull(name, "name");
        this.hosts = List.copyOf(hosts);
        this.mode = Objects.requireNonNull(mode, "mode");
        this.identity = identity;
        this.trust = trust;
        this.verifyHostname = verifyHostname;
        this.line = line;
        this.unreadable = unreadable;
        this.declaresTrust = declaresTrust;
        this.tls = tls;
    }

    /**
     * A profile whose text could not be used, kept for the hosts it names so that they fail closed.
     *
     * @param declaresTrust whether the text has a trust section (or a tls block, which restricts
     *     the handshake as much): then its hosts fail even in {@code optional} mode, as a broken
     *     trust section does (the application's trust would accept servers the operator meant to exclude)
     * @param problem why the profile cannot be used, as reported for it
     */
    public static ProfileDefinition unreadable(String name, List<String> hosts, Mode mode, boolean declaresTrust,
            int line, String problem) {
        return new ProfileDefinition(name, hosts, mode, null, null, false, line,
                Objects.requireNonNull(problem, "problem"), declaresTrust, null);
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

    /** The protocol versions and cipher suites its handshakes may negotiate, or null for the application's. */
    public TlsSpec tls() {
        return tls;
    }

    public boolean verifyHostname() {
        return verifyHostname;
    }

    public int line() {
        return line;
    }

    /** Why the profile's text could not be used, for a definition kept only for its hosts. */
    public Optional<String> unreadable() {
        return Optional.ofNullable(unreadable);
    }

    /**
     * Whether the application's own key manager chooses the certificate for these hosts: only
     * for a readable trust-only profile. An unreadable profile presents nothing.
     */
    public boolean keepsApplicationIdentity() {
        return identity == null && unreadable == null;
    }

    /** Whether the profile replaces the application's trust (or meant to, when unreadable). */
    public boolean declaresTrust() {
        return declaresTrust;
    }

    /** Equal definitions load to equal profiles (if the files they name did not change). */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ProfileDefinition)) {
            return false;
        }
        ProfileDefinition that = (ProfileDefinition) other;
        return verifyHostname == that.verifyHostname && name.equals(that.name) && hosts.equals(that.hosts)
                && mode == that.mode && Objects.equals(identity, that.identity) && Objects.equals(trust, that.trust)
                && Objects.equals(unreadable, that.unreadable) && declaresTrust == that.declaresTrust
                && Objects.equals(tls, that.tls);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, hosts, mode, identity, trust, verifyHostname, unreadable);
    }

    @Override
    public String toString() {
        return "profile '" + name + "' " + hosts;
    }
}
