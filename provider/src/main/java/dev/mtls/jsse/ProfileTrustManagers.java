package dev.mtls.jsse;

import dev.mtls.material.TrustAnchors;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * SunJSSE's own PKIX trust manager over a profile's CAs, built once per loaded set of anchors.
 * Using SunJSSE's implementation (rather than a CertPathValidator of ours) keeps everything the
 * application configured on the socket or engine: endpoint identification, algorithm
 * constraints, the JDK's certificate checks. It is asked for by provider name, which bypasses
 * our own factory and so cannot recurse.
 */
public final class ProfileTrustManagers {
    /** Keyed by identity; an old snapshot's anchors (and their manager) go when it does. */
    private static final Map<TrustAnchors, X509ExtendedTrustManager> CACHE = new WeakHashMap<>();

    private ProfileTrustManagers() {
    }

    /**
     * The JVM's default trust as an application without its own gets it: SunJSSE's PKIX trust
     * manager over {@code javax.net.ssl.trustStore}, or cacerts.
     */
    public static X509ExtendedTrustManager jvmDefault() throws GeneralSecurityException {
        TrustManagerFactory defaults = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        defaults.init((KeyStore) null);
        return (X509ExtendedTrustManager) first(defaults.getTrustManagers());
    }

    /** @param owner who the anchors belong to, as messages name it: {@code profile 'name'} or {@code listener 'name'} */
    static X509ExtendedTrustManager forAnchors(TrustAnchors anchors, String owner) throws CertificateException {
        synchronized (CACHE) {
            X509ExtendedTrustManager manager = CACHE.get(anchors);
            if (manager != null) {
                return manager;
            }
        }
        X509ExtendedTrustManager manager;
        try {
            manager = build(anchors);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new CertificateException("mtls-agent: " + owner + " trust anchors cannot be used: " + e, e);
        }
        synchronized (CACHE) {
            CACHE.putIfAbsent(anchors, manager);
            return CACHE.get(anchors);
        }
    }

    private static X509ExtendedTrustManager build(TrustAnchors anchors)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int index = 0;
        for (X509Certificate certificate : anchors.certificates()) {
            store.setCertificateEntry("profile-" + index++, certificate);
        }
        if (anchors.includeDefault()) {
            for (X509Certificate certificate : jvmDefault().getAcceptedIssuers()) {
                store.setCertificateEntry("jvm-" + index++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        factory.init(store);
        return (X509ExtendedTrustManager) first(factory.getTrustManagers());
    }

    private static X509TrustManager first(TrustManager[] managers) throws KeyStoreException {
        for (TrustManager manager : managers) {
            if (manager instanceof X509TrustManager) {
                return (X509TrustManager) manager;
            }
        }
        throw new KeyStoreException("SunJSSE returned no X509TrustManager");
    }
}
