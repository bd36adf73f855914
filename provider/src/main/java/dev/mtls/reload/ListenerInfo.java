package dev.mtls.reload;

import dev.mtls.listen.ListenerCounts;
import dev.mtls.material.Identity;
import dev.mtls.material.Names;
import dev.mtls.material.Validity;
import dev.mtls.snapshot.LoadedListener;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One listener as JMX shows it (an MXBean maps it to CompositeData): name, ports, clientAuth, the
 * server certificate it presents with its expiry, whether it can be used, and what it did since
 * the agent started: client certificates accepted, clients let in without one, handshakes refused
 * by reason. No key or
 * password is part of this.
 */
public final class ListenerInfo {
    private final String name;
    private final List<Integer> ports;
    private final String clientAuth;
    private final String subject;
    private final String notAfter;
    private final String validity;
    private final boolean usable;
    private final String problem;
    private final long accepted;
    private final long acceptedWithoutCertificate;
    private final Map<String, Long> refused;

    private ListenerInfo(LoadedListener listener, Instant now, Duration expiryWarning) {
        X509Certificate leaf = listener.identity().map(Identity::leaf).orElse(null);
        this.name = listener.name();
        this.ports = listener.ports();
        this.clientAuth = listener.clientAuth().toString();
        this.subject = leaf == null ? "" : Names.subject(leaf);
        this.notAfter = leaf == null ? "" : leaf.getNotAfter().toInstant().toString();
        this.validity = leaf == null ? "" : Validity.of(leaf, now, expiryWarning).text();
        this.usable = listener.isUsable();
        this.problem = listener.problem().orElse("");
        this.accepted = ListenerCounts.acceptedCount(listener.name());
        this.acceptedWithoutCertificate = ListenerCounts.acceptedWithoutCertificateCount(listener.name());
        this.refused = ListenerCounts.refusedCounts(listener.name());
    }

    static ListenerInfo of(LoadedListener listener, Instant now, Duration expiryWarning) {
        return new ListenerInfo(listener, now, expiryWarning);
    }

    public String getName() {
        return name;
    }

    /** The local ports it covers; empty for every server handshake in the JVM. */
    public List<Integer> getPorts() {
        return ports;
    }

    /** "mandatory", "optional" or "none". */
    public String getClientAuth() {
        return clientAuth;
    }

    /** The server certificate's subject, or empty when the listener keeps the application's. */
    public String getServerSubject() {
        return subject;
    }

    /** The server certificate's not-after (ISO-8601), or empty. */
    public String getServerNotAfter() {
        return notAfter;
    }

    /** The server certificate's validity in the words the log uses ("expires on … (in 3 days)"), or empty. */
    public String getServerValidity() {
        return validity;
    }

    public boolean isUsable() {
        return usable;
    }

    /** Why the listener cannot be used, or empty. */
    public String getProblem() {
        return problem;
    }

    /** Client certificates that passed the listener's trust and allow-list since the agent started. */
    public long getAccepted() {
        return accepted;
    }

    /**
     * Clients an {@code optional} listener let in without a certificate since the agent started
     * (not part of {@link #getAccepted()}: together they are the handshakes the listener admitted).
     */
    public long getAcceptedWithoutCertificate() {
        return acceptedWithoutCertificate;
    }

    /**
     * Handshakes refused under the listener since the agent started, by reason:
     * {@code no-certificate} (a mandatory listener's client sent none; SunJSSE sent its own
     * alert), {@code untrusted}, {@code not-allowed}, {@code revoked}, {@code revocation-unknown}
     * ({@code onUnknown: fail}), {@code unusable}, {@code not-wrapped}, {@code port-unknown}.
     */
    public Map<String, Long> getRefused() {
        return refused;
    }
}
