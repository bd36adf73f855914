package dev.mtls.jsse;

import dev.mtls.material.TrustAnchors;
import dev.mtls.profile.TrustSpec;
import dev.mtls.revocation.RevocationCheck;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The checks of a profile's {@code trust} block beyond the chain (docs/PROFILES.md), made after
 * the chain was validated: revocation, and (issue 13, in progress) server names, pins and the
 * negotiated TLS parameters. Each failure is a {@link CertificateException} naming the profile and
 * the check; SunJSSE turns it into the handshake's exception and alert.
 */
final class UpstreamChecks {
    private UpstreamChecks() {
    }

    /**
     * @param socket the client socket, or null for an engine handshake
     * @param applicationIssuers the application trust manager's CAs, for a block without its own
     */
    static void afterChain(ProfileRoute route, X509Certificate[] chain, Socket socket, SSLEngine engine,
            X509Certificate[] applicationIssuers) throws CertificateException {
        TrustSpec spec = route.profile().definition().trust();
        if (spec == null || spec.revocation() == null) {
            return;
        }
        TrustAnchors anchors = route.profile().trust().orElse(null);
        if (anchors == null) {
            // ProfileUsability has refused a trust section that did not load before this point.
            return;
        }
        List<X509Certificate> issuers = anchors.isApplicationTrust() ? Arrays.asList(applicationIssuers)
                : anchors.certificates();
        RevocationCheck.check("profile '" + route.profile().name() + "'", spec.revocation(),
                anchors.revocationLists(), chain, issuers, stapledResponses(handshakeSession(socket, engine)),
                Instant.now());
    }

    static SSLSession handshakeSession(Socket socket, SSLEngine engine) {
        if (engine != null) {
            return engine.getHandshakeSession();
        }
        return socket instanceof SSLSocket ? ((SSLSocket) socket).getHandshakeSession() : null;
    }

    /** The OCSP responses the peer stapled to its certificates, first for the leaf; empty when none. */
    static List<byte[]> stapledResponses(SSLSession session) {
        if (session instanceof ExtendedSSLSession) {
            try {
                return ((ExtendedSSLSession) session).getStatusResponses();
            } catch (UnsupportedOperationException e) {
                return List.of();
            }
        }
        return List.of();
    }
}
