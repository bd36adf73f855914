package dev.mtls.jsse;

import static dev.mtls.jsse.Profiles.profile;
import static dev.mtls.jsse.TestCerts.OTHER_CA;
import static dev.mtls.jsse.TestCerts.OTHER_SERVER;
import static dev.mtls.jsse.TestCerts.PROFILE_EC;
import static dev.mtls.jsse.TestCerts.SERVER;
import static dev.mtls.jsse.TestCerts.SERVER_CA;
import static dev.mtls.jsse.TestCerts.WRONG_NAME_SERVER;
import static dev.mtls.jsse.TestClients.exchange;
import static dev.mtls.jsse.TestClients.trusting;
import static dev.mtls.jsse.TestClients.wrapped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.snapshot.ProfileSource;
import dev.mtls.testing.TestTlsServer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Per-profile trust: a profile's own CAs, its host-name check, and fail-closed on broken trust. */
class ProfileTrustTest {

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void trustSectionAcceptsServerFromProfileCaTheApplicationDoesNotTrust(String protocol) throws Exception {
        ProfileSource source = profile("payments", "localhost").identity(PROFILE_EC).trust(OTHER_CA.certificate())
                .source();
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), source);
        try (TestTlsServer server = TestTlsServer.needClientAuth(OTHER_SERVER, TestCerts.CLIENT_CA)) {
            exchange(client, "localhost", server.port(), protocol);
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void trustSectionRejectsServerFromAnotherCaTheApplicationTrusts(String protocol) throws Exception {
        ProfileSource source = profile("payments", "localhost").identity(PROFILE_EC).trust(OTHER_CA.certificate())
                .source();
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), source);
        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            assertThrows(SSLHandshakeException.class, () -> exchange(client, "localhost", server.port(), protocol));
        }
    }

    @Test
    void hostWithoutProfileKeepsApplicationTrust() throws Exception {
        ProfileSource source = profile("payments", "localhost").identity(PROFILE_EC).trust(OTHER_CA.certificate())
                .source();
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), source);
        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchange(client, "127.0.0.1", server.port(), "TLSv1.3");
            assertEquals(TestTlsServer.NONE, server.nextClientSubject());
        }
        try (TestTlsServer server = TestTlsServer.wantClientAuth(OTHER_SERVER, TestCerts.CLIENT_CA)) {
            assertThrows(SSLHandshakeException.class, () -> exchange(client, "127.0.0.1", server.port(), "TLSv1.3"));
        }
    }

    @Test
    void trustSectionThatDidNotLoadFailsClosedEvenWhenOptional() throws Exception {
        ProfileSource source = profile("payments", "localhost").optional().identity(PROFILE_EC)
                .brokenTrust("backend-ca.pem: no certificates").source();
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), source);
        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                    () -> exchange(client, "localhost", server.port(), "TLSv1.3"));
            assertTrue(failure.getMessage().contains("profile 'payments' cannot check its servers as configured"),
                    failure.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void verifyHostnameRejectsWrongNameCertificateTheApplicationWouldAccept(String protocol) throws Exception {
        SSLContext without = wrapped(null, trusting(SERVER_CA.certificate()),
                profile("payments", "localhost").identity(PROFILE_EC).source());
        SSLContext with = wrapped(null, trusting(SERVER_CA.certificate()),
                profile("payments", "localhost").identity(PROFILE_EC).verifyHostname().source());
        try (TestTlsServer server = TestTlsServer.wantClientAuth(WRONG_NAME_SERVER, TestCerts.CLIENT_CA)) {
            exchange(without, "localhost", server.port(), protocol);
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
            SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                    () -> exchange(with, "localhost", server.port(), protocol));
            assertTrue(failure.getMessage().contains("does not name 'localhost'"), failure.getMessage());
        }
    }

    @Test
    void verifyHostnameAcceptsMatchingNameAndAddress() throws Exception {
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()),
                profile("payments", "localhost", "127.0.0.1").identity(PROFILE_EC).verifyHostname().source());
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchange(client, "localhost", server.port(), "TLSv1.3");
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
            exchange(client, "127.0.0.1", server.port(), "TLSv1.3");
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
        }
    }

    @Test
    void applicationHttpsIdentificationStillAppliesWithProfileTrust() throws Exception {
        SSLContext client = wrapped(null, trusting(OTHER_CA.certificate()),
                profile("payments", "localhost").identity(PROFILE_EC).trust(SERVER_CA.certificate()).source());
        try (TestTlsServer server = TestTlsServer.wantClientAuth(WRONG_NAME_SERVER, TestCerts.CLIENT_CA)) {
            exchange(client, "localhost", server.port(), "TLSv1.3", false);
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
            assertThrows(SSLHandshakeException.class,
                    () -> exchange(client, "localhost", server.port(), "TLSv1.3", true));
        }
    }
}
