package dev.mtls.benchmarks;

import dev.mtls.jsse.ForwardingTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/** A server's trust manager that counts the client chains it checks: one per full handshake. */
final class CountingTrustManager extends ForwardingTrustManager {
    private final AtomicLong checks;

    CountingTrustManager(X509ExtendedTrustManager delegate, AtomicLong checks) {
        super(delegate);
        this.checks = checks;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        super.checkClientTrusted(chain, authType, socket);
        checks.incrementAndGet();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        super.checkClientTrusted(chain, authType, engine);
        checks.incrementAndGet();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        super.checkClientTrusted(chain, authType);
        checks.incrementAndGet();
    }
}
