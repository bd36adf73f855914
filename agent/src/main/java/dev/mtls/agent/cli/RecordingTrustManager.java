package dev.mtls.agent.cli;

import dev.mtls.jsse.ForwardingTrustManager;
import dev.mtls.jsse.PolicyReport;
import dev.mtls.jsse.RoutingTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;

/**
 * For {@code probe}: the agent's trust manager, plus the chain the server sent, why it was
 * refused, and what each check of the profile's upstream policy found, so that an untrusted
 * server's chain and the check that refused it are still shown.
 */
final class RecordingTrustManager extends ForwardingTrustManager {
    private final RoutingTrustManager routing;
    volatile X509Certificate[] serverChain;
    volatile String failure;
    /** Filled by the last server check; empty when no policy check ran. */
    volatile PolicyReport policy = new PolicyReport();

    RecordingTrustManager(RoutingTrustManager delegate) {
        super(delegate);
        this.routing = delegate;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        serverChain = chain;
        PolicyReport report = new PolicyReport();
        policy = report;
        try {
            routing.checkServerTrusted(chain, authType, socket, report);
        } catch (CertificateException e) {
            failure = e.getMessage();
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        serverChain = chain;
        PolicyReport report = new PolicyReport();
        policy = report;
        try {
            routing.checkServerTrusted(chain, authType, engine, report);
        } catch (CertificateException e) {
            failure = e.getMessage();
            throw e;
        }
    }
}
