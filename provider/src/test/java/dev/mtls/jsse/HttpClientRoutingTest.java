package dev.mtls.jsse;

import static dev.mtls.jsse.Profiles.profile;
import static dev.mtls.jsse.TestCerts.CLIENT_CA;
import static dev.mtls.jsse.TestCerts.PROFILE_EC;
import static dev.mtls.jsse.TestCerts.PROFILE_RSA;
import static dev.mtls.jsse.TestCerts.SERVER;
import static dev.mtls.jsse.TestCerts.SERVER_CA;
import static dev.mtls.jsse.TestClients.trusting;
import static dev.mtls.jsse.TestClients.wrapped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.testing.JdkTlsServer;
import java.io.IOException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** java.net.http.HttpClient drives SSLEngine, so these cover the engine side of both managers. */
class HttpClientRoutingTest {

    @Test
    void presentsProfileCertificateToMatchingHost() throws Exception {
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()),
                profile("payments", "localhost").identity(PROFILE_RSA).source());
        try (JdkTlsServer server = JdkTlsServer.requiringClientCertificate(SERVER, CLIENT_CA)) {
            assertEquals(PROFILE_RSA.subject(), server.get(client, "localhost"));
        }
    }

    @Test
    void sendsNoCertificateToHostWithoutProfile() throws Exception {
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()),
                profile("payments", "localhost").identity(PROFILE_EC).source());
        try (JdkTlsServer server = JdkTlsServer.requiringClientCertificate(SERVER, CLIENT_CA)) {
            assertThrows(IOException.class, () -> server.get(client, "127.0.0.1"));
        }
    }

    @Test
    void mandatoryProfileWithProblemFailsPromptlyNamingProfile() throws Exception {
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()),
                profile("payments", "localhost").brokenIdentity("client.pem: no such file").source());
        try (JdkTlsServer server = JdkTlsServer.requiringClientCertificate(SERVER, CLIENT_CA)) {
            SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                    () -> server.get(client, "localhost"));
            assertTrue(failure.getMessage().contains("profile 'payments'"), failure.getMessage());
        }
    }
}
