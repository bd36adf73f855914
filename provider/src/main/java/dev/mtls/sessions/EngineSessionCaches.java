package dev.mtls.sessions;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * Client session caches that no {@code SSLContext} holds, met when an engine handshake presents
 * a profile's certificate: Netty's OpenSSL (BoringSSL) engine keeps its own cache in its
 * {@code SslContext}, which the agent never sees as an {@code SSLContext}. {@link ClientSessionSweeper}
 * sweeps them as it sweeps the contexts' caches.
 *
 * <p>Netty's cached OpenSSL sessions do not answer {@code getLocalCertificates()} (they throw
 * {@code UnsupportedOperationException}), but they share the key-value storage of the engine
 * session they came from, and a resumed session passes it on to the sessions its tickets make.
 * So the certificate presented is also stored there as {@link #PRESENTED}, and the sweeper reads it
 * when a session cannot say which certificate it carries.
 */
public final class EngineSessionCaches {
    /** The session value naming the leaf certificate the agent presented in the session's full handshake. */
    static final String PRESENTED = "dev.mtls.presented-certificate";
    /** Session contexts keep Object's equals and hashCode, so this compares them by identity. */
    private static final Map<SSLSessionContext, Boolean> CACHES = new WeakHashMap<>();

    private EngineSessionCaches() {
    }

    /**
     * Records, on the engine's handshake session, the certificate being presented, and remembers
     * the session's cache for sweeping. Never throws: a handshake must not fail over bookkeeping.
     */
    public static void presented(SSLEngine engine, X509Certificate leaf) {
        try {
            SSLSession session = engine.getHandshakeSession();
            if (session == null) {
                return;
            }
            session.putValue(PRESENTED, leaf);
            SSLSessionContext cache = session.getSessionContext();
            if (cache != null) {
                synchronized (CACHES) {
                    CACHES.put(cache, Boolean.TRUE);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // An engine without a handshake session or values: its sessions are left to their own timeout.
        }
    }

    /** The caches remembered and still alive. */
    static List<SSLSessionContext> live() {
        synchronized (CACHES) {
            return new ArrayList<>(CACHES.keySet());
        }
    }

    /** The certificate a session says it carries: its own local certificate, else the one recorded here. */
    static X509Certificate presentedIn(SSLSession session) {
        try {
            java.security.cert.Certificate[] local = session.getLocalCertificates();
            if (local != null && local.length > 0) {
                return local[0] instanceof X509Certificate ? (X509Certificate) local[0] : null;
            }
        } catch (UnsupportedOperationException cannotTell) {
            // Netty's cached OpenSSL sessions: the recorded value below is all there is.
        }
        Object recorded = session.getValue(PRESENTED);
        return recorded instanceof X509Certificate ? (X509Certificate) recorded : null;
    }
}
