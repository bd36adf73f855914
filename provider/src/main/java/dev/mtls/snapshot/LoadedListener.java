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
    private final Identity identity;
    private final TrustAnchors trust;
    private final String problem;

    /**
     * @param identity the server identity, null when the listener has none or it failed to load
     * @param trust the client CAs, null when the listener has none or they failed to load
     * @param problem why the listener cannot be used as configured, or null when it can
     */
    public LoadedListener(ListenerDefinition definition, Identity identity, TrustAnchors trust, String problem) {
        this.definition = Objects.requireNonNull(definition, "definition");
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

    /** The local ports covered; empty means every TLS server handshake in this JVM. */
    public List<Integer> ports() {
        return definition.ports();
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
