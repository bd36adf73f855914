package dev.mtls.agent.cli;

import dev.mtls.jsse.ForwardingTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * For {@code probe}: the agent's trust manager, plus the chain the server sent and why it was
 * refused, so that an untrusted server's chain is still shown.
 */
final class RecordingTrustManager extends ForwardingTrustManager {
    volatile X509Certificate[] serverChain;
    volatile String failure;

    RecordingTrustManager(X509ExtendedTrustManager delegate) {
        super(delegate);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        serverChain = chain;
        try {
            super.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            failure = e.getMessage();
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        serverChain = chain;
        try {
            super.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            failure = e.getMessage();
            throw e;
        }
    }
}
