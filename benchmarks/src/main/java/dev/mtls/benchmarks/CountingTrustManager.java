package dev.mtls.benchmarks;

import dev.mtls.jsse.ForwardingTrustManager;
import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** A server's trust manager that counts the client chains it checks: one per full handshake. */
public final class CountingTrustManager extends ForwardingTrustManager {
    private final AtomicLong checks;

    CountingTrustManager(X509ExtendedTrustManager delegate, AtomicLong checks) {
        super(delegate);
        this.checks = checks;
    }

    /**
     * The tests' {@link JdkTlsServer}, requiring a client certificate from {@code clientCa}, whose
     * trust manager counts full handshakes into {@code fullHandshakes}, so a benchmark can check
     * that it timed no resumption. Runs in the harness JVM, which has no agent.
     */
    public static JdkTlsServer requiringServer(TestCertificate certificate, TestCertificate clientCa,
            AtomicLong fullHandshakes) throws GeneralSecurityException {
        // Without TCP_NODELAY the server's separate header and body writes meet the client's delayed
        // ACK, and every keep-alive request waits ~40 ms: the benchmark would time the network stack.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509", "SunJSSE");
        keys.init(certificate.keyStore("PKCS12", "server", "server"), "server".toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        trust.init(TestPki.trustStore("PKCS12", clientCa.certificate()));
        SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
        context.init(keys.getKeyManagers(), new TrustManager[] {
            new CountingTrustManager((X509ExtendedTrustManager) trust.getTrustManagers()[0], fullHandshakes)}, null);
        return JdkTlsServer.requiring(context).start();
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
