package dev.mtls.profile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One listener as the file states it, before any key material is read: which server handshakes
 * it covers (its {@code ports}; none means every TLS server handshake in the JVM), what it asks of
 * their clients, the CAs and allow-list client certificates must pass, and the server identity it
 * presents.
 *
 * <p>Like a profile, a listener whose text has an error but whose ports could be read is kept as
 * an {@link #unreadable unreadable} definition, so that its handshakes fail closed instead of
 * running as if no listener named them.
 */
public final class ListenerDefinition {
    private final String name;
    private final List<Integer> ports;
    private final ClientAuth clientAuth;
    private final TrustSpec trust;
    private final List<AllowEntry> allow;
    private final IdentitySpec identity;
    private final int line;
    private final String unreadable;

    /**
     * @param ports the local ports it covers; empty for every server handshake in the JVM
     * @param trust the CAs client certificates must chain to; null only with {@link ClientAuth#NONE}
     * @param identity the server certificate and key to present; null to keep the application's
     * @param line where the listener starts in its file, 1-based; 0 when unknown
     */
    public ListenerDefinition(String name, List<Integer> ports, ClientAuth clientAuth, TrustSpec trust,
            List<AllowEntry> allow, IdentitySpec identity, int line) {
        this(name, ports, clientAuth, trust, allow, identity, line, null);
    }

    private ListenerDefinition(String name, List<Integer> ports, ClientAuth clientAuth, TrustSpec trust,
            List<AllowEntry> allow, IdentitySpec identity, int line, String unreadable) {
        this.name = Objects.requireNonNull(name, "name");
        this.ports = List.copyOf(ports);
        this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
        this.trust = trust;
        this.allow = List.copyOf(allow);
        this.identity = identity;
        this.line = line;
        this.unreadable = unreadable;
    }

    /**
     * A listener whose text could not be used, kept for the ports it names so that its handshakes
     * fail closed.
     *
     * @param clientAuth as written, or {@link ClientAuth#MANDATORY} when that itself is unreadable
     * @param problem why the listener cannot be used, as reported for it
     */
    public static ListenerDefinition unreadable(String name, List<Integer> ports, ClientAuth clientAuth, int line,
            String problem) {
        return new ListenerDefinition(name, ports, clientAuth, null, List.of(), null, line,
                Objects.requireNonNull(problem, "problem"));
    }

    public String name() {
        return name;
    }

    /** The local ports covered; empty means every TLS server handshake in this JVM. */
    public List<Integer> ports() {
        return ports;
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    public TrustSpec trust() {
        return trust;
    }

    public List<AllowEntry> allow() {
        return allow;
    }

    public IdentitySpec identity() {
        return identity;
    }

    public int line() {
        return line;
    }

    /** Why the listener's text could not be used, for a definition kept only for its ports. */
    public Optional<String> unreadable() {
        return Optional.ofNullable(unreadable);
    }

    /** Equal definitions load to equal listeners (if the files they name did not change). */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ListenerDefinition)) {
            return false;
        }
        ListenerDefinition that = (ListenerDefinition) other;
        return name.equals(that.name) && ports.equals(that.ports) && clientAuth == that.clientAuth
                && Objects.equals(trust, that.trust) && allow.equals(that.allow)
                && Objects.equals(identity, that.identity) && Objects.equals(unreadable, that.unreadable);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, ports, clientAuth, trust, allow, identity, unreadable);
    }

    @Override
    public String toString() {
        return "listener '" + name + "' " + (ports.isEmpty() ? "(every port)" : ports.toString());
    }
}
