package dev.mtls.jsse;

import dev.mtls.listen.Covered;
import dev.mtls.listen.ServerHandshakes;
import dev.mtls.material.TrustAnchors;
import dev.mtls.sessions.Peer;
import dev.mtls.snapshot.ProfileSource;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Routes server-certificate checks by host, around an application trust manager that is itself
 * extended (the JDK default, anything from a TrustManagerFactory). For a host a profile matches:
 * fail closed when the profile cannot be honoured, verify against the profile's CAs when it has a
 * trust section, and check the host name when the profile asks. Every other check goes to the
 * application's trust manager unchanged: for a host without a profile, a handshake succeeds or
 * fails exactly as it would without the agent. Without a socket or engine there is no peer to route
 * by: that check is forwarded as it is.
 *
 * <p>Client certificates (this JVM as a server) are checked against a listener's CAs and
 * allow-list when the handshake is under a listener that asks for them (docs/LISTENERS.md);
 * every other client check goes to the application's trust manager unchanged.
 *
 * <p>Fail-closed lives here, not in the key manager: a CertificateException thrown from
 * checkServerTrusted reaches every client as an SSLHandshakeException carrying our message,
 * while an exception from chooseClientAlias hangs {@code java.net.http.HttpClient} (JDK 17, TLS 1.3).
 */
public final class RoutingTrustManager extends ForwardingTrustManager {
    private final ProfileSource source;

    public RoutingTrustManager(X509ExtendedTrustManager delegate, ProfileSource source) {
        super(delegate);
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType, socket, null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType, engine, null);
    }

    /**
     * As {@link #checkServerTrusted(X509Certificate[], String, Socket)}, and each check of the
     * matched profile's upstream policy adds its result to {@code report} (for {@code probe}),
     * up to and including the one that refused the server.
     *
     * @param report null when no one reads it
     */
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket, PolicyReport report)
            throws CertificateException {
        ProfileRoute route = ProfileRoute.find(source, Peer.of(socket));
        X509ExtendedTrustManager profileTrust = route == null ? null : profileTrust(route);
        (profileTrust == null ? delegate() : profileTrust).checkServerTrusted(chain, authType, socket);
        verifyHostname(route, chain);
        if (route != null) {
            UpstreamChecks.afterChain(route, chain, socket, null, delegate(), report);
        }
    }

    /** As {@link #checkServerTrusted(X509Certificate[], String, Socket, PolicyReport)}, for an engine. */
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine, PolicyReport report)
            throws CertificateException {
        ProfileRoute route = ProfileRoute.find(source, Peer.of(engine));
        X509ExtendedTrustManager profileTrust = route == null ? null : profileTrust(route);
        (profileTrust == null ? delegate() : profileTrust).checkServerTrusted(chain, authType, engine);
        verifyHostname(route, chain);
        if (route != null) {
            UpstreamChecks.afterChain(route, chain, null, engine, delegate(), report);
        }
    }

    /**
     * Throws when the matched profile cannot be honoured; otherwise its own trust manager, or
     * null when it keeps the application's trust.
     */
    private static X509ExtendedTrustManager profileTrust(ProfileRoute route) throws CertificateException {
        route.requireUsable();
        TrustAnchors anchors = route.profile().trust().orElse(null);
        return anchors == null || anchors.isApplicationTrust() ? null : ProfileTrustManagers.forAnchors(anchors, "profile '" + route.profile().name() + "'");
    }

    /**
     * A server handshake under a listener that asks for client certificates is checked against the
     * listener (docs/LISTENERS.md); every other client check goes to the application's manager.
     */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        Covered covered = ServerHandshakes.coveredBy(socket);
        if (ListenerTrust.decides(covered)) {
            ListenerTrust.check(covered, chain, authType, socket, null);
        } else {
            delegate().checkClientTrusted(chain, authType, socket);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        Covered covered = ServerHandshakes.coveredBy(engine);
        if (ListenerTrust.decides(covered)) {
            ListenerTrust.check(covered, chain, authType, null, engine);
        } else {
            delegate().checkClientTrusted(chain, authType, engine);
        }
    }

    /**
     * The CAs a certificate request of the server handshake on {@code transport} lists (asked by the
     * agent's hook where SunJSSE builds that message, docs/LISTENERS.md): under a listener that asks
     * for client certificates, that listener's CAs only; any other handshake, the application's own
     * list exactly, as without the agent.
     */
    public X509Certificate[] acceptedIssuers(Object transport) {
        Covered covered = ServerHandshakes.coveredBy(transport);
        return ListenerTrust.decides(covered) ? ListenerTrust.issuersOf(covered) : delegate().getAcceptedIssuers();
    }

    /**
     * The listeners' client CAs and the application's, for a caller outside a handshake (the
     * method has no connection to route by; inside one, the hook asks {@link #acceptedIssuers(Object)}).
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        X509Certificate[] application = delegate().getAcceptedIssuers();
        try {
            return ListenerTrust.acceptedIssuers(source.current(), application);
        } catch (RuntimeException e) {
            return application;
        }
    }

    private static void verifyHostname(ProfileRoute route, X509Certificate[] chain) throws CertificateException {
        if (route != null && route.profile().verifyHostname()) {
            if (chain == null || chain.length == 0) {
                throw new CertificateException(route.prefix() + ": the server sent no certificate");
            }
            ServerNameCheck.verify(chain[0], route.peer().host(), route.profile().name());
        }
    }
}
