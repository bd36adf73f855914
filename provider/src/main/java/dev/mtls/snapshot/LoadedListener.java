package dev.mtls.snapshot;

import dev.mtls.log.Printable;
import dev.mtls.material.Identity;
import dev.mtls.material.TrustAnchors;
import dev.mtls.profile.AllowEntry;
import dev.mtls.profile.ClientAuth;
import dev.mtls.profile.ListenerDefinition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A listener after its key material was read. It stays in the snapshot even when its material
 * could not be used, so that a {@link ClientAuth#MANDATORY mandatory} listener refuses its
 * handshakes with the reason instead of letting clients in without the certificate it demands.
 */
public final class LoadedListener {
    private final ListenerDefinition definition;
    private final List<Integer> ports;
    private final Identity identity;
    private final TrustAnchors trust;
    private final String problem;

    /**
     * @param identity the server identity, null when the listener has none or it failed to load
     * @param trust the client CAs, null when the listener has none or they failed to load
     * @param problem why the listener cannot be used as configured, or null when it can
     */
    public LoadedListener(ListenerDefinition definition, Identity identity, TrustAnchors trust, String problem) {
        this(definition, definition.ports(), identity, trust, problem);
    }

    /**
     * @param ports the ports it keeps: those of its definition that no earlier listener took; empty
     *     only for a listener whose definition names no port (every server handshake)
     */
    public LoadedListener(ListenerDefinition definition, List<Integer> ports, Identity identity, TrustAnchors trust,
            String problem) {
        this.definition = Objects.requireNonNull(definition, "definition");
        this.ports = List.copyOf(ports);
        this.identity = identity;
        this.trust = trust;
        this.problem = Printable.escape(problem);
    }

    public String name() {
        return definition.name();
    }

    public ListenerDefinition definition() {
        return definition;
    }

    /**
     * The local ports covered; empty means every TLS server handshake in this JVM. A port its
     * definition names that an earlier listener took is not among them (that is its problem).
     */
    public List<Integer> ports() {
        return ports;
    }

    public ClientAuth clientAuth() {
        return definition.clientAuth();
    }

    public List<AllowEntry> allow() {
        return definition.allow();
    }

    /** The server identity to present, when the listener has one and it loaded (it may still be expired). */
    public Optional<Identity> identity() {
        return Optional.ofNullable(identity);
    }

    /** The CAs client certificates must chain to, when the listener has them and they loaded. */
    public Optional<TrustAnchors> trust() {
        return Optional.ofNullable(trust);
    }

    /** Why this listener cannot be used as configured: failed to load, expired, not yet valid. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    public boolean isUsable() {
        return problem == null;
    }

    @Override
    public String toString() {
        return "listener '" + name() + "'";
    }
}
