package dev.mtls.jsse;

import static dev.mtls.jsse.Profiles.profile;
import static dev.mtls.jsse.TestCerts.APP_CLIENT;
import static dev.mtls.jsse.TestCerts.PROFILE_EC;
import static dev.mtls.jsse.TestCerts.PROFILE_RSA;
import static dev.mtls.jsse.TestCerts.SERVER;
import static dev.mtls.jsse.TestCerts.SERVER_CA;
import static dev.mtls.jsse.TestClients.exchange;
import static dev.mtls.jsse.TestClients.exchangeLayered;
import static dev.mtls.jsse.TestClients.trusting;
import static dev.mtls.jsse.TestClients.wrapped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.snapshot.ProfileSource;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestTlsServer;
import java.io.IOException;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real handshakes against a server that asks for a client certificate. "localhost" and
 * "127.0.0.1" are two names of the same server: the profile matches one and not the other.
 */
class ClientCertificateRoutingTest {

    static Stream<Arguments> protocolsAndKeys() {
        return Stream.of(
                Arguments.of("TLSv1.3", PROFILE_EC),
                Arguments.of("TLSv1.2", PROFILE_EC),
                Arguments.of("TLSv1.3", PROFILE_RSA),
                Arguments.of("TLSv1.2", PROFILE_RSA));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("protocolsAndKeys")
    void presentsProfileCertificateToMatchingHost(String protocol, TestCertificate identity) throws Exception {
        ProfileSource source = profile("payments", "localhost").identity(identity).source();
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), source);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchange(client, "localhost", server.port(), protocol);
            assertEquals(identity.subject(), server.nextClientSubject());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void sendsNoCertificateToHostWithoutProfile(String protocol) throws Exception {
        ProfileSource source = profile("payments", "localhost").identity(PROFILE_EC).source();
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), source);
        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchange(client, "127.0.0.1", server.port(), protocol);
            assertEquals(TestTlsServer.NONE, server.nextClientSubject());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void serverRequiringCertificateRefusesHostWithoutProfile(String protocol) throws Exception {
        ProfileSource source = profile("payments", "localhost").identity(PROFILE_EC).source();
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), source);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            assertThrows(IOException.class, () -> exchange(client, "127.0.0.1", server.port(), protocol));
            assertEquals(TestTlsServer.FAILED, server.nextClientSubject());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void applicationKeyManagerStillAnswersHostsWithoutProfile(String protocol) throws Exception {
        ProfileSource source = profile("payments", "localhost").identity(PROFILE_EC).source();
        SSLContext client = wrapped(TestClients.ownKeys(APP_CLIENT), trusting(SERVER_CA.certificate()), source);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchange(client, "127.0.0.1", server.port(), protocol);
            assertEquals(APP_CLIENT.subject(), server.nextClientSubject());
            exchange(client, "localhost", server.port(), protocol);
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void mandatoryProfileWithProblemFailsHandshakeNamingProfile(String protocol) throws Exception {
        ProfileSource source = profile("payments", "localhost").brokenIdentity("client.key: wrong password").source();
        SSLContext client = wrapped(TestClients.ownKeys(APP_CLIENT), trusting(SERVER_CA.certificate()), source);
        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                    () -> exchange(client, "localhost", server.port(), protocol));
            assertTrue(failure.getMessage().contains("profile 'payments'"), failure.getMessage());
            assertTrue(failure.getMessage().contains("client.key: wrong password"), failure.getMessage());
        }
    }

    @Test
    void mandatoryProfileWithExpiredCertificateFailsHandshake() throws Exception {
        TestCertificate expired = TestCerts.CLIENT_CA.issue("expired").clientAuth().expired().create();
        ProfileSource source = profile("payments", "localhost").identity(expired).source();
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), source);
        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                    () -> exchange(client, "localhost", server.port(), "TLSv1.3"));
            assertTrue(failure.getMessage().contains("expired"), failure.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void optionalProfileWithProblemConnectsWithoutCertificate(String protocol) throws Exception {
        ProfileSource source = profile("payments", "localhost").optional()
                .brokenIdentity("client.key: wrong password").source();
        SSLContext client = wrapped(TestClients.ownKeys(APP_CLIENT), trusting(SERVER_CA.certificate()), source);
        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchange(client, "localhost", server.port(), protocol);
            assertEquals(TestTlsServer.NONE, server.nextClientSubject());
        }
    }

    @Test
    void trustOnlyProfileKeepsApplicationCertificate() throws Exception {
        ProfileSource source = profile("backend", "localhost").trust(SERVER_CA.certificate()).source();
        SSLContext client = wrapped(TestClients.ownKeys(APP_CLIENT), trusting(SERVER_CA.certificate()), source);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchange(client, "localhost", server.port(), "TLSv1.3");
            assertEquals(APP_CLIENT.subject(), server.nextClientSubject());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void layeredSocketToAnAddressIsRoutedByItsServerName(String protocol) throws Exception {
        ProfileSource source = profile("db", "db.internal").identity(PROFILE_EC).source();
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), source);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchangeLayered(client, "127.0.0.1", server.port(), "db.internal", protocol);
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
        }
    }

    @Test
    void layeredSocketToAnAddressIsCheckedWithTheTrustOfTheProfileItsServerNameMatches() throws Exception {
        // The application trusts nothing that signed the server: only the profile's trust, found
        // through the SNI name, lets the handshake succeed.
        ProfileSource source = profile("db", "db.internal").identity(PROFILE_EC).trust(SERVER_CA.certificate())
                .source();
        SSLContext client = wrapped(null, trusting(TestCerts.CLIENT_CA.certificate()), source);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchangeLayered(client, "127.0.0.1", server.port(), "db.internal", "TLSv1.3");
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
        }
    }

    @Test
    void profileForTheAddressStillMatchesWhenNoProfileNamesTheServerName() throws Exception {
        ProfileSource source = profile("by-address", "127.0.0.1").identity(PROFILE_RSA).source();
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), source);
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchangeLayered(client, "127.0.0.1", server.port(), "unprofiled.internal", "TLSv1.3");
            assertEquals(PROFILE_RSA.subject(), server.nextClientSubject());
        }
    }

    @Test
    void hostNamedByTheApplicationWinsOverADifferentServerName() throws Exception {
        // Only an address gives way to SNI: a host name the application connected to keeps its profile.
        ProfileSource source = profile("db", "db.internal").identity(PROFILE_EC).source();
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), source);
        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchangeLayered(client, "localhost", server.port(), "db.internal", "TLSv1.3");
            assertEquals(TestTlsServer.NONE, server.nextClientSubject());
        }
    }
}
