package dev.mtls.jsse;

import dev.mtls.listen.AllowList;
import dev.mtls.listen.Covered;
import dev.mtls.listen.ListenerCounts;
import dev.mtls.listen.Refusals;
import dev.mtls.material.TrustAnchors;
import dev.mtls.profile.ClientAuth;
import dev.mtls.profile.TrustSpec;
import dev.mtls.revocation.RevocationCheck;
import dev.mtls.revocation.RevocationRefusal;
import dev.mtls.snapshot.LoadedListener;
import dev.mtls.snapshot.ProfileSnapshot;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A client certificate under a listener: it must chain to the listener's CAs (SunJSSE's own PKIX
 * trust manager, with everything the server configured on the socket or engine) and match its
 * allow-list. A refusal is a {@link CertificateException}: SunJSSE answers the client with its own
 * alert, and our line goes to the log once per listener, reason and client.
 */
final class ListenerTrust {
    private static volatile IssuersOf cachedIssuers;

    private ListenerTrust() {
    }

    /** @param socket the server socket, or null for an engine handshake */
    static void check(Covered covered, X509Certificate[] chain, String authType, Socket socket, SSLEngine engine)
            throws CertificateException {
        LoadedListener listener = covered.listener();
        String name = listener.name();
        TrustAnchors anchors = listener.trust().orElse(null);
        if (anchors == null) {
            // A listener that asks for certificates has a trust section (the loader refuses it otherwise).
            String message = "listener '" + name + "' has no client CAs to check against; refused";
            Refusals.refuse(name, "unusable", covered.client(), message);
            throw new CertificateException("mtls-agent: " + message);
        }
        try {
            X509ExtendedTrustManager trust = ProfileTrustManagers.forAnchors(anchors, "listener '" + name + "'");
            if (engine != null) {
                trust.checkClientTrusted(chain, authType, engine);
            } else {
                trust.checkClientTrusted(chain, authType, socket);
            }
        } catch (CertificateException e) {
            String message = "listener '" + name + "' refused a client certificate ("
                    + subject(chain) + "): it does not chain to the listener's trust: " + e.getMessage();
            Refusals.refuse(name, "untrusted", covered.client(), message);
            throw new CertificateException("mtls-agent: " + message, e);
        }
        if (!AllowList.allows(listener.allow(), chain[0])) {
            String message = "listener '" + name + "' refused a client certificate (" + subject(chain)
                    + "): not on the listener's allow list";
            Refusals.refuse(name, "not-allowed", covered.client(), message);
            throw new CertificateException("mtls-agent: " + message);
        }
        checkRevocation(covered, anchors, chain, socket, engine);
        ListenerCounts.accepted(name);
    }

    /** The listener's {@code trust.revocation}, for the client's chain (docs/LISTENERS.md). */
    private static void checkRevocation(Covered covered, TrustAnchors anchors, X509Certificate[] chain, Socket socket,
            SSLEngine engine) throws CertificateException {
        LoadedListener listener = covered.listener();
        TrustSpec spec = listener.definition().trust();
        if (spec == null || spec.revocation() == null) {
            return;
        }
        try {
            RevocationCheck.check("listener '" + listener.name() + "'", spec.revocation(), anchors.revocationLists(),
                    chain, anchors.certificates(),
                    UpstreamChecks.stapledResponses(UpstreamChecks.handshakeSession(socket, engine)), Instant.now());
        } catch (RevocationRefusal e) {
            Refusals.refuse(listener.name(), e.isRevoked() ? "revoked" : "revocation-unknown", covered.client(),
                    e.logLine());
            throw e;
        }
    }

    /** Whether the listener decides this client check (it asks for certificates); else the application's manager does. */
    static boolean decides(Covered covered) {
        return covered != null && covered.listener().clientAuth() != ClientAuth.NONE;
    }

    /**
     * The CAs of the listener covering a handshake, for its certificate request: none when it has
     * no trust section (its client check then refuses every certificate).
     */
    static X509Certificate[] issuersOf(Covered covered) {
        TrustAnchors anchors = covered.listener().trust().orElse(null);
        return anchors == null ? new X509Certificate[0] : anchors.certificates().toArray(new X509Certificate[0]);
    }

    /**
     * The listeners' CAs followed by the application's, for the CertificateRequest's list of
     * acceptable issuers (the method has no connection to route by). Computed once per snapshot.
     */
    static X509Certificate[] acceptedIssuers(ProfileSnapshot snapshot, X509Certificate[] application) {
        if (snapshot.listeners().isEmpty()) {
            return application;
        }
        IssuersOf cached = cachedIssuers;
        X509Certificate[] listeners;
        if (cached != null && cached.snapshot == snapshot) {
            listeners = cached.issuers;
        } else {
            Set<X509Certificate> all = new LinkedHashSet<>();
            for (LoadedListener listener : snapshot.listeners()) {
                if (listener.clientAuth() != ClientAuth.NONE && listener.trust().isPresent()) {
                    all.addAll(listener.trust().get().certificates());
                }
            }
            listeners = all.toArray(new X509Certificate[0]);
            cachedIssuers = new IssuersOf(snapshot, listeners);
        }
        if (listeners.length == 0) {
            return application;
        }
        List<X509Certificate> merged = new ArrayList<>(listeners.length + application.length);
        Set<X509Certificate> seen = new LinkedHashSet<>();
        for (X509Certificate certificate : listeners) {
            if (seen.add(certificate)) {
                merged.add(certificate);
            }
        }
        for (X509Certificate certificate : application) {
            if (seen.add(certificate)) {
                merged.add(certificate);
            }
        }
        return merged.toArray(new X509Certificate[0]);
    }

    private static String subject(X509Certificate[] chain) {
        return chain == null || chain.length == 0 ? "no certificate"
                : chain[0].getSubjectX500Principal().getName();
    }

    private static final class IssuersOf {
        final ProfileSnapshot snapshot;
        final X509Certificate[] issuers;

        IssuersOf(ProfileSnapshot snapshot, X509Certificate[] issuers) {
            this.snapshot = snapshot;
            this.issuers = issuers;
        }
    }
}
