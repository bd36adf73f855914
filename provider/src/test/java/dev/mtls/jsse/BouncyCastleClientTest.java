package dev.mtls.jsse;

import static dev.mtls.jsse.Profiles.profile;
import static dev.mtls.jsse.TestCerts.OTHER_CA;
import static dev.mtls.jsse.TestCerts.OTHER_SERVER;
import static dev.mtls.jsse.TestCerts.PROFILE_EC;
import static dev.mtls.jsse.TestCerts.PROFILE_RSA;
import static dev.mtls.jsse.TestCerts.SERVER;
import static dev.mtls.jsse.TestCerts.SERVER_CA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.snapshot.ProfileSource;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestTlsServer;
import java.io.IOException;
import java.security.Provider;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bouncy Castle's JSSE asks the key manager once per key type and names the curve
 * ({@code "EC/secp256r1"}). Its providers are passed by instance, never added to Security.
 */
class BouncyCastleClientTest {
    /** Its crypto from a Bouncy Castle provider instance too: the JDK has no "DEFAULT" SecureRandom. */
    private static final Provider BCJSSE = new BouncyCastleJsseProvider(new BouncyCastleProvider());

    static Stream<Arguments> protocolsAndKeys() {
        return Stream.of(
                Arguments.of("TLSv1.3", PROFILE_EC),
                Arguments.of("TLSv1.2", PROFILE_EC),
                Arguments.of("TLSv1.3", PROFILE_RSA),
                Arguments.of("TLSv1.2", PROFILE_RSA));
    }

    private static SSLContext bcClient(KeyManager[] keys, TrustManager[] trust, ProfileSource source)
            throws Exception {
        SSLContext context = SSLContext.getInstance("TLS", BCJSSE);
        context.init(ManagerWrapping.wrapKeyManagers(keys, source), ManagerWrapping.wrapTrustManagers(trust, source),
                null);
        return context;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("protocolsAndKeys")
    void presentsProfileCertificateToMatchingHost(String protocol, TestCertificate identity) throws Exception {
        SSLContext client = bcClient(null, TestClients.trusting(SERVER_CA.certificate()),
                profile("payments", "localhost").identity(identity).source());
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            TestClients.exchange(client, "localhost", server.port(), protocol);
            assertEquals(identity.subject(), server.nextClientSubject());
        }
    }

    @Test
    void sendsNoCertificateToHostWithoutProfile() throws Exception {
        SSLContext client = bcClient(null, TestClients.trusting(SERVER_CA.certificate()),
                profile("payments", "localhost").identity(PROFILE_EC).source());
        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            TestClients.exchange(client, "127.0.0.1", server.port(), "TLSv1.3");
            assertEquals(TestTlsServer.NONE, server.nextClientSubject());
        }
    }

    @Test
    void profileTrustSectionJudgesTheServerUnderBouncyCastleToo() throws Exception {
        SSLContext client = bcClient(null, TestClients.trusting(SERVER_CA.certificate()),
                profile("payments", "localhost").identity(PROFILE_EC).trust(OTHER_CA.certificate()).source());
        try (TestTlsServer server = TestTlsServer.needClientAuth(OTHER_SERVER, TestCerts.CLIENT_CA)) {
            TestClients.exchange(client, "localhost", server.port(), "TLSv1.3");
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
        }
        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            assertThrows(IOException.class, () -> TestClients.exchange(client, "localhost", server.port(), "TLSv1.3"));
        }
    }

    @Test
    void mandatoryProfileWithProblemFailsHandshakeWithOurMessageAsCause() throws Exception {
        SSLContext client = bcClient(null, TestClients.trusting(SERVER_CA.certificate()),
                profile("payments", "localhost").brokenIdentity("client.key: wrong password").source());
        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            IOException failure = assertThrows(IOException.class,
                    () -> TestClients.exchange(client, "localhost", server.port(), "TLSv1.3"));
            assertTrue(messages(failure).contains("profile 'payments'"), messages(failure));
        }
    }

    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }
}
