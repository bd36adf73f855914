package dev.mtls.jsse;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.X509TrustManager;

/**
 * The wrapper for an application trust manager that is a plain {@link X509TrustManager} (a
 * trust-all one, typically). It only passes calls through, and it cannot route: a plain manager
 * is never told the socket or engine, so there is no peer to match.
 *
 * <p>Why it is not an X509ExtendedTrustManager: the JDK wraps a plain manager in its own adapter,
 * which still checks the host name (when the application enabled endpoint identification) and
 * the algorithm constraints. An extended wrapper of ours would replace that adapter and silently
 * drop both checks; a wrong-name certificate and a 768-bit RSA key were then accepted. Staying
 * plain keeps the handshake exactly as it was. Per-host trust and fail-closed therefore apply
 * only where the application's trust manager is extended; the key manager still routes.
 */
public final class PlainRoutingTrustManager implements X509TrustManager {
    private final X509TrustManager delegate;

    public PlainRoutingTrustManager(X509TrustManager delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    public X509TrustManager delegate() {
        return delegate;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
