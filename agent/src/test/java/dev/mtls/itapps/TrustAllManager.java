package dev.mtls.itapps;

import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * The trust-all manager found in countless applications: plain, not extended, so the JDK wraps
 * it and still checks the host name (when endpoint identification is on) and its algorithm
 * constraints. Those checks must survive the agent.
 */
final class TrustAllManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
