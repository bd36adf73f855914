package dev.mtls.listen;

import dev.mtls.log.MtlsLog;
import dev.mtls.material.TrustAnchors;
import dev.mtls.profile.ClientAuth;
import dev.mtls.profile.TrustSpec;
import dev.mtls.revocation.RevocationCheck;
import dev.mtls.snapshot.ActiveProfiles;
import dev.mtls.snapshot.LoadedListener;
import dev.mtls.snapshot.ProfileSnapshot;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Which listener covers a server handshake, decided once as SunJSSE creates the handshake (the
 * agent's hook at the end of {@code ServerHandshakeContext}'s constructor calls {@link #decide}),
 * and remembered for that connection so that the trust manager, the key manager and the
 * resumption check of the same handshake all see the same listener from the same snapshot.
 *
 * <p>The listener is found by the connection's local port: {@link SSLSocket#getLocalPort()}, or for
 * an engine the channel this thread last read ({@link ChannelReads}). A handshake whose port
 * cannot be told is covered only by a listener without ports; if a {@code mandatory} listener names
 * ports, such a handshake is refused (a mandatory rule never silently weakens) and the log says
 * why, once.
 */
public final class ServerHandshakes {
    /** Leave the application's own client-auth setting. */
    public static final int LEAVE = 0;
    /** Ask for a client certificate (unless the application requires one already). */
    public static final int REQUEST = 1;
    /** Require a client certificate. */
    public static final int REQUIRE = 2;

    /** By connection (the SSLSocket or SSLEngine), held weakly: it goes when the connection does. */
    private static final Map<Object, Covered> COVERED = new WeakHashMap<>();
    private static volatile boolean anyCovered;

    private ServerHandshakes() {
    }

    /**
     * A server handshake starts on {@code transport} (SunJSSE's SSLSocket or SSLEngine).
     *
     * @param contextTrustIsOurs whether the handshake's SSLContext holds the agent's trust manager,
     *        without which a listener's trust and allow-list cannot be enforced
     * @return {@link #LEAVE}, {@link #REQUEST} or {@link #REQUIRE} as an Integer, or a String: the
     *         handshake must fail, for this reason
     */
    public static Object decide(Object transport, boolean contextTrustIsOurs) {
        return decide(transport, true, contextTrustIsOurs);
    }

    /**
     * A server handshake starts on a TLS engine other than SunJSSE's (Netty on OpenSSL/BoringSSL,
     * asked from the hook on its {@code SslContextBuilder}). Its handshakes never reach the code
     * where the port is told, so it is decided as a handshake whose port is unknown: covered by the
     * listener without ports, refused while a {@code mandatory} listener names ports.
     *
     * @return as {@link #decide(Object, boolean)}
     */
    public static Object decideWithoutPort(Object transport, boolean contextTrustIsOurs) {
        return decide(transport, false, contextTrustIsOurs);
    }

    private static Object decide(Object transport, boolean portKnowable, boolean contextTrustIsOurs) {
        ProfileSnapshot snapshot = ActiveProfiles.current();
        if (snapshot.listeners().isEmpty()) {
            forget(transport);
            return LEAVE;
        }
        int port = portKnowable ? localPort(transport) : -1;
        LoadedListener listener = snapshot.listenerForPort(port).orElse(null);
        if (port < 0 && snapshot.hasPortListeners()) {
            LoadedListener mandatory = mandatoryPortListener(snapshot);
            if (mandatory != null) {
                forget(transport);
                String message = "listener '" + mandatory.name() + "' is mandatory, and the local port of this "
                        + "server handshake cannot be told (" + (portKnowable ? "a transport the port hook does not see"
                        : "a server on a TLS engine other than the JDK's, such as Netty on OpenSSL") + "); refused";
                Refusals.refuse(mandatory.name(), "port-unknown", client(transport), message);
                return "mtls-agent: " + message;
            }
            MtlsLog.once("listener-port-unknown", Level.WARNING, "the local port of a server handshake cannot be told ("
                    + (portKnowable ? "a transport the port hook does not see"
                            : "a server on a TLS engine other than the JDK's, such as Netty on OpenSSL")
                    + "): listeners with ports do not apply to it");
        }
        if (listener == null) {
            forget(transport);
            return LEAVE;
        }
        String client = client(transport);
        ClientAuth clientAuth = listener.clientAuth();
        if (!listener.isUsable()) {
            if (clientAuth == ClientAuth.MANDATORY) {
                forget(transport);
                String message = "listener '" + listener.name() + "' cannot be used: "
                        + listener.problem().orElse("unknown problem") + "; refused";
                Refusals.refuse(listener.name(), "unusable", client, message);
                return "mtls-agent: " + message;
            }
            MtlsLog.once("listener-unusable:" + listener.name(), Level.WARNING, "listener '" + listener.name()
                    + "' cannot be used: " + listener.problem().orElse("unknown problem")
                    + "; its handshakes go on as the application set them up");
            forget(transport);
            return LEAVE;
        }
        if (clientAuth != ClientAuth.NONE && !contextTrustIsOurs) {
            String why = "the server's SSLContext does not hold the agent's trust manager (created before an attach,"
                    + " or a plain X509TrustManager)";
            if (clientAuth == ClientAuth.MANDATORY) {
                forget(transport);
                String message = "listener '" + listener.name() + "' is mandatory and " + why + "; refused";
                Refusals.refuse(listener.name(), "not-wrapped", client, message);
                return "mtls-agent: " + message;
            }
            MtlsLog.once("listener-not-wrapped:" + listener.name(), Level.WARNING, "listener '" + listener.name()
                    + "' is optional and " + why + ": its handshakes go on as the application set them up");
            forget(transport);
            return LEAVE;
        }
        remember(transport, new Covered(listener, snapshot, client));
        return clientAuth == ClientAuth.MANDATORY ? REQUIRE : clientAuth == ClientAuth.OPTIONAL ? REQUEST : LEAVE;
    }

    /**
     * The answer for a handshake whose decision failed unexpectedly: refused when any listener in
     * force is mandatory (such a rule never silently weakens), else the application's setting.
     */
    public static Object failureAnswer(Throwable failure) {
        for (LoadedListener listener : ActiveProfiles.published().listeners()) {
            if (listener.clientAuth() == ClientAuth.MANDATORY) {
                return "mtls-agent: cannot decide this server handshake's listener (" + failure + "); refused";
            }
        }
        return LEAVE;
    }

    /** The listener this connection's current handshake is under, or null when none covers it. */
    public static Covered coveredBy(Object transport) {
        if (!anyCovered || transport == null) {
            return null;
        }
        synchronized (COVERED) {
            return COVERED.get(transport);
        }
    }

    /**
     * The client answered the certificate request of a server handshake on {@code transport} with
     * no certificate (an empty Certificate message, TLS 1.2 and 1.3). SunJSSE itself refuses that
     * handshake when {@code required}, with its own alert, right after this returns; nothing of
     * the agent's runs for it otherwise. Under a {@code mandatory} listener the refusal is logged
     * and counted as the listener's ({@code no-certificate}); under an {@code optional} one the
     * client is let in without identity and counted as such. A handshake no listener covers, or an
     * application's own requirement under an {@code optional} listener, is not the agent's to record.
     */
    public static void noClientCertificate(Object transport, boolean required) {
        Covered covered = coveredBy(transport);
        if (covered == null) {
            return;
        }
        LoadedListener listener = covered.listener();
        if (required && listener.clientAuth() == ClientAuth.MANDATORY) {
            Refusals.refuse(listener.name(), "no-certificate", covered.client(), "listener '" + listener.name()
                    + "' is mandatory and the client sent no certificate; refused");
        } else if (!required && listener.clientAuth() == ClientAuth.OPTIONAL) {
            ListenerCounts.acceptedWithoutCertificate(listener.name());
        }
    }

    /**
     * Whether SunJSSE may resume {@code session} for a server handshake on {@code transport}: not
     * when the listener now presents another certificate than the session did, and under a
     * {@code mandatory} listener not without a client certificate, nor with one its allow-list no
     * longer admits, nor (under {@code trust.revocation}) with one now revoked. A handshake no listener covers resumes as SunJSSE decides.
     */
    public static boolean mayResume(SSLSession session, Object transport) {
        Covered covered = coveredBy(transport);
        if (covered == null) {
            return true;
        }
        LoadedListener listener = covered.listener();
        if (listener.identity().isPresent()) {
            Certificate[] local = session.getLocalCertificates();
            if (local == null || local.length == 0 || !local[0].equals(listener.identity().get().leaf())) {
                return false;
            }
        }
        if (listener.clientAuth() == ClientAuth.NONE) {
            return true;
        }
        Certificate[] peer;
        try {
            peer = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return listener.clientAuth() != ClientAuth.MANDATORY;
        }
        return peer.length > 0 && peer[0] instanceof X509Certificate
                && AllowList.allows(listener.allow(), (X509Certificate) peer[0]) && notRevoked(listener, peer);
    }

    /**
     * A resumption skips the trust manager, so the listener's revocation check is made again on
     * the session's client chain with the CRLs in force now: a certificate revoked since the
     * session was made (a replaced CRL) gets a full handshake, which refuses and logs it. The CRLs
     * are in memory and their signatures already verified, so this costs a lookup.
     */
    private static boolean notRevoked(LoadedListener listener, Certificate[] peer) {
        TrustSpec spec = listener.definition().trust();
        TrustAnchors anchors = listener.trust().orElse(null);
        if (spec == null || spec.revocation() == null || anchors == null) {
            return true;
        }
        X509Certificate[] chain = new X509Certificate[peer.length];
        for (int i = 0; i < peer.length; i++) {
            if (!(peer[i] instanceof X509Certificate)) {
                return false;
            }
            chain[i] = (X509Certificate) peer[i];
        }
        try {
            RevocationCheck.check("listener '" + listener.name() + "'", spec.revocation(), anchors.revocationLists(),
                    chain, anchors.certificates(), List.of(), Instant.now());
            return true;
        } catch (CertificateException | RuntimeException e) {
            return false;
        }
    }

    /** The first {@code mandatory} listener that names ports, or null: it refuses handshakes whose port is unknown. */
    public static LoadedListener mandatoryPortListener(ProfileSnapshot snapshot) {
        for (LoadedListener listener : snapshot.listeners()) {
            if (!listener.ports().isEmpty() && listener.clientAuth() == ClientAuth.MANDATORY) {
                return listener;
            }
        }
        return null;
    }

    private static int localPort(Object transport) {
        if (transport instanceof SSLSocket) {
            return ((SSLSocket) transport).getLocalPort();
        }
        if (transport instanceof SSLEngine) {
            return ChannelReads.localPort((SSLEngine) transport);
        }
        return -1;
    }

    /** The client's address as a literal (never a reverse lookup of ours), for log lines. */
    static String client(Object transport) {
        if (transport instanceof SSLSocket) {
            InetAddress address = ((SSLSocket) transport).getInetAddress();
            return address == null ? "unknown" : address.getHostAddress();
        }
        if (transport instanceof SSLEngine) {
            return ChannelReads.clientAddress((SSLEngine) transport);
        }
        return "unknown";
    }

    private static void remember(Object transport, Covered covered) {
        synchronized (COVERED) {
            COVERED.put(transport, covered);
        }
        anyCovered = true;
    }

    private static void forget(Object transport) {
        if (anyCovered) {
            synchronized (COVERED) {
                COVERED.remove(transport);
            }
        }
    }
}
