package dev.mtls.jsse;

import static dev.mtls.jsse.Profiles.profile;
import static dev.mtls.jsse.TestCerts.PROFILE_EC;
import static dev.mtls.jsse.TestCerts.WRONG_NAME_SERVER;
import static dev.mtls.jsse.TestClients.exchange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.mtls.snapshot.ProfileSource;
import dev.mtls.testing.TestTlsServer;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * An application with a plain trust-all X509TrustManager relies on the JDK's adapter for the
 * host-name check it enabled. Wrapped or not, every handshake must end the same way.
 */
class PlainTrustManagerTransparencyTest {
    private static final TrustManager[] TRUST_ALL = {new X509TrustManager() {
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
    }};

    @Test
    void plainTrustAllManagerGetsPlainWrapper() {
        TrustManager[] wrapped = ManagerWrapping.wrapTrustManagers(TRUST_ALL, () -> {
            throw new AssertionError("a plain wrapper never routes");
        });
        assertEquals(PlainRoutingTrustManager.class, wrapped[0].getClass());
    }

    @Test
    void wrongNameCertificateFailsWithAndWithoutWrappingWhenApplicationEnabledHttpsIdentification() throws Exception {
        ProfileSource source = profile("payments", "localhost").identity(PROFILE_EC).source();
        SSLContext unwrapped = TestClients.plain(null, TRUST_ALL);
        SSLContext wrapped = TestClients.wrapped(null, TRUST_ALL, source);
        try (TestTlsServer server = TestTlsServer.wantClientAuth(WRONG_NAME_SERVER, TestCerts.CLIENT_CA)) {
            assertNotEquals("ok", outcome(unwrapped, "localhost", server.port(), true), "the JDK's own check");
            for (String host : new String[] {"localhost", "127.0.0.1"}) {
                for (boolean identification : new boolean[] {true, false}) {
                    assertEquals(outcome(unwrapped, host, server.port(), identification),
                            outcome(wrapped, host, server.port(), identification),
                            host + " with HTTPS identification " + identification);
                }
            }
        }
    }

    @Test
    void plainTrustManagerStillPresentsProfileCertificate() throws Exception {
        ProfileSource source = profile("payments", "localhost").identity(PROFILE_EC).source();
        SSLContext client = TestClients.wrapped(null, TRUST_ALL, source);
        try (TestTlsServer server = TestTlsServer.needClientAuth(TestCerts.SERVER, TestCerts.CLIENT_CA)) {
            exchange(client, "localhost", server.port(), "TLSv1.3");
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
        }
    }

    /** "ok", or the failure's class and message (identical outcomes have identical text). */
    private static String outcome(SSLContext context, String host, int port, boolean identification) {
        try {
            exchange(context, host, port, "TLSv1.3", identification);
            return "ok";
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
