package dev.mtls.jsse;

import static dev.mtls.jsse.Profiles.profile;
import static dev.mtls.jsse.TestCerts.OTHER_CA;
import static dev.mtls.jsse.TestCerts.OTHER_SERVER;
import static dev.mtls.jsse.TestCerts.PROFILE_EC;
import static dev.mtls.jsse.TestCerts.SERVER;
import static dev.mtls.jsse.TestCerts.SERVER_CA;
import static dev.mtls.jsse.TestCerts.WRONG_NAME_SERVER;
import static dev.mtls.jsse.TestCerts.pin;
import static dev.mtls.jsse.TestClients.exchange;
import static dev.mtls.jsse.TestClients.trusting;
import static dev.mtls.jsse.TestClients.wrapped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.profile.RevocationSpec;
import dev.mtls.snapshot.ProfileSource;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestTlsServer;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A profile's upstream policy in real handshakes on loopback: server names, pins (a certificate
 * sent, or the anchor), trust without CAs of its own, the negotiated version and suite. Every
 * refusal names the profile and the check, and comes before our client certificate is sent.
 */
class UpstreamPolicyTest {
    private static final TestCertificate SPIFFE_SERVER = SERVER_CA.issue("payments").serverAuth().dns("localhost")
            .uri("spiffe://bank.example/payments").create();
    private static final TestCertificate WILDCARD_SERVER =
            SERVER_CA.issue("wildcard").serverAuth().dns("*.svc.example").create();

    private static TestTlsServer server;
    private static TestTlsServer spiffe;
    private static TestTlsServer wildcard;
    private static TestTlsServer wrongName;
    private static TestTlsServer other;

    @BeforeAll
    static void startServers() {
        server = TestTlsServer.wantClientAuth(SERVER, TestCerts.CLIENT_CA);
        spiffe = TestTlsServer.wantClientAuth(SPIFFE_SERVER, TestCerts.CLIENT_CA);
        wildcard = TestTlsServer.wantClientAuth(WILDCARD_SERVER, TestCerts.CLIENT_CA);
        wrongName = TestTlsServer.wantClientAuth(WRONG_NAME_SERVER, TestCerts.CLIENT_CA);
        other = TestTlsServer.wantClientAuth(OTHER_SERVER, TestCerts.CLIENT_CA);
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (TestTlsServer each : List.of(server, spiffe, wildcard, wrongName, other)) {
            each.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void serverNamesAcceptServerCarryingOneOfThemWhicheverHostWasDialled(String protocol) throws Exception {
        SSLContext client = client(profile("payments", "localhost").identity(PROFILE_EC).trust(SERVER_CA.certificate())
                .checks(List.of("payments.internal", "*.example"), List.of()));
        exchange(client, "localhost", wrongName.port(), protocol);
        assertEquals(PROFILE_EC.subject(), wrongName.nextClientSubject());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void serverNamesRefuseServerCarryingNoneEvenWhenItNamesTheDialledHost(String protocol) throws Exception {
        SSLContext client = client(profile("payments", "localhost").identity(PROFILE_EC).trust(SERVER_CA.certificate())
                .checks(List.of("payments.internal", "*.localhost"), List.of()));
        SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                () -> exchange(client, "localhost", server.port(), protocol));
        assertEquals("mtls-agent: profile 'payments': serverNames: the server certificate CN=localhost carries none"
                + " of [payments.internal, *.localhost] (it names [localhost, 127.0.0.1])", failure.getMessage());
        assertEquals(TestTlsServer.FAILED, server.nextClientSubject());
    }

    @Test
    void ipEntryMatchesOnlyAnAddressName() throws Exception {
        exchange(client(profile("payments", "localhost").trust(SERVER_CA.certificate())
                .checks(List.of("127.0.0.1"), List.of())), "localhost", server.port(), "TLSv1.3");
        assertEquals(TestTlsServer.NONE, server.nextClientSubject());
        SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                () -> exchange(client(profile("payments", "localhost").trust(SERVER_CA.certificate())
                        .checks(List.of("10.0.0.1", "::1"), List.of())), "localhost", server.port(), "TLSv1.3"));
        assertTrue(failure.getMessage().contains("serverNames: the server certificate CN=localhost carries none of"
                + " [10.0.0.1, ::1]"), failure.getMessage());
        server.nextClientSubject();
    }

    @Test
    void uriEntryMatchesUriNameExactly() throws Exception {
        exchange(client(profile("payments", "localhost").trust(SERVER_CA.certificate())
                .checks(List.of("spiffe://bank.example/payments"), List.of())), "localhost", spiffe.port(), "TLSv1.3");
        assertEquals(TestTlsServer.NONE, spiffe.nextClientSubject());
        for (String entry : List.of("spiffe://bank.example/payments/v2", "SPIFFE://bank.example/payments",
                "spiffe://bank.example")) {
            SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                    () -> exchange(client(profile("payments", "localhost").trust(SERVER_CA.certificate())
                            .checks(List.of(entry), List.of())), "localhost", spiffe.port(), "TLSv1.3"));
            assertTrue(failure.getMessage().contains("(it names [localhost, spiffe://bank.example/payments])"),
                    failure.getMessage());
            spiffe.nextClientSubject();
        }
    }

    @Test
    void wildcardCertificateCoversAnEntryOneLabelDeep() throws Exception {
        exchange(client(profile("payments", "localhost").trust(SERVER_CA.certificate())
                .checks(List.of("api.svc.example"), List.of())), "localhost", wildcard.port(), "TLSv1.3");
        assertEquals(TestTlsServer.NONE, wildcard.nextClientSubject());
        assertThrows(SSLHandshakeException.class, () -> exchange(client(profile("payments", "localhost")
                .trust(SERVER_CA.certificate()).checks(List.of("a.api.svc.example"), List.of())), "localhost",
                wildcard.port(), "TLSv1.3"));
        wildcard.nextClientSubject();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void pinOfTheLeafOrOfTheAnchorTheServerDidNotSendIsAccepted(String protocol) throws Exception {
        for (X509Certificate pinned : List.of(SERVER.certificate(), SERVER_CA.certificate())) {
            SSLContext client = client(profile("payments", "localhost").identity(PROFILE_EC)
                    .trust(SERVER_CA.certificate()).checks(List.of(), List.of(pin(OTHER_CA.certificate()), pin(pinned))));
            exchange(client, "localhost", server.port(), protocol);
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
        }
    }

    @Test
    void noMatchingPinRefusesTheServerAndShowsItsPins() throws Exception {
        SSLContext client = client(profile("payments", "localhost").identity(PROFILE_EC).trust(SERVER_CA.certificate())
                .checks(List.of(), List.of(pin(OTHER_CA.certificate()))));
        SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                () -> exchange(client, "localhost", server.port(), "TLSv1.3"));
        assertEquals("mtls-agent: profile 'payments': pins: none of the 1 pins matches a certificate of the server's"
                + " chain or its anchor; they have [" + pin(SERVER.certificate()) + " (the leaf CN=localhost), "
                + pin(SERVER_CA.certificate()) + " (the anchor CN=Server CA)]", failure.getMessage());
        assertEquals(TestTlsServer.FAILED, server.nextClientSubject());
    }

    @Test
    void applicationTrustDecidesTheChainThenThePinApplies() throws Exception {
        Profiles pinnedToCa = profile("payments", "localhost").identity(PROFILE_EC).applicationTrust()
                .checks(List.of(), List.of(pin(SERVER_CA.certificate())));
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate(), OTHER_CA.certificate()),
                pinnedToCa.source());
        exchange(client, "localhost", server.port(), "TLSv1.3");
        assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
        SSLHandshakeException pinFailure = assertThrows(SSLHandshakeException.class,
                () -> exchange(client, "localhost", other.port(), "TLSv1.3"));
        assertTrue(pinFailure.getMessage().startsWith("mtls-agent: profile 'payments': pins: "),
                pinFailure.getMessage());
        other.nextClientSubject();

        SSLContext trustingOnlyOther = wrapped(null, trusting(OTHER_CA.certificate()), pinnedToCa.source());
        SSLHandshakeException chainFailure = assertThrows(SSLHandshakeException.class,
                () -> exchange(trustingOnlyOther, "localhost", server.port(), "TLSv1.3"));
        assertTrue(!chainFailure.getMessage().contains("mtls-agent"), chainFailure.getMessage());
        server.nextClientSubject();
    }

    @Test
    void minVersionRefusesAnOlderNegotiatedVersion() throws Exception {
        SSLContext client = client(profile("payments", "localhost").identity(PROFILE_EC).trust(SERVER_CA.certificate())
                .tls("TLSv1.3"));
        SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                () -> exchange(client, "localhost", server.port(), "TLSv1.2"));
        assertEquals("mtls-agent: profile 'payments': tls.minVersion: negotiated TLSv1.2, profile 'payments'"
                + " requires TLSv1.3 or later", failure.getMessage());
        assertEquals(TestTlsServer.FAILED, server.nextClientSubject());
        exchange(client, "localhost", server.port(), "TLSv1.3");
        assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
    }

    @Test
    void cipherSuitesRefuseASuiteNotListed() throws Exception {
        SSLContext client = client(profile("payments", "localhost").identity(PROFILE_EC).trust(SERVER_CA.certificate())
                .tls(null, "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"));
        exchange(client, "localhost", server.port(), "TLSv1.3");
        assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
        SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                () -> exchange(client, "localhost", server.port(), "TLSv1.2"));
        assertTrue(failure.getMessage().startsWith("mtls-agent: profile 'payments': tls.cipherSuites: negotiated"
                + " TLS_ECDHE_"), failure.getMessage());
        assertTrue(failure.getMessage().endsWith(", profile 'payments' requires one of [TLS_AES_128_GCM_SHA256,"
                + " TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256]"), failure.getMessage());
        assertEquals(TestTlsServer.FAILED, server.nextClientSubject());
    }

    @Test
    void hostWithoutProfileIgnoresThePolicy() throws Exception {
        SSLContext client = client(profile("payments", "localhost").identity(PROFILE_EC).trust(SERVER_CA.certificate())
                .checks(List.of("payments.internal"), List.of(pin(OTHER_CA.certificate()))).tls("TLSv1.3"));
        exchange(client, "127.0.0.1", server.port(), "TLSv1.2");
        assertEquals(TestTlsServer.NONE, server.nextClientSubject());
    }

    @Test
    void reportHasEachChecksResultInTheOrderMade() throws Exception {
        RevocationSpec unknownAllowed = new RevocationSpec(List.of(), false, null, RevocationSpec.OnUnknown.ALLOW,
                RevocationSpec.Scope.LEAF);
        ProfileSource source = profile("payments", "localhost").identity(PROFILE_EC).trust(SERVER_CA.certificate())
                .checks(unknownAllowed, List.of("payments.internal", "localhost"), List.of(pin(SERVER_CA.certificate())))
                .tls("TLSv1.2").source();
        RoutingTrustManager routing = new RoutingTrustManager(
                (X509ExtendedTrustManager) trusting(SERVER_CA.certificate())[0], source);
        List<PolicyReport> reports = new ArrayList<>();
        X509ExtendedTrustManager reporting = new ForwardingTrustManager(routing) {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                PolicyReport report = new PolicyReport();
                reports.add(report);
                routing.checkServerTrusted(chain, authType, socket, report);
            }
        };
        SSLContext client = SSLContext.getInstance("TLS", "SunJSSE");
        client.init(null, new TrustManager[] {reporting}, null);

        exchange(client, "localhost", server.port(), "TLSv1.3");
        server.nextClientSubject();

        assertEquals(List.of("tls.minVersion: negotiated TLSv1.3 (TLSv1.2 or later required)",
                "serverNames: 'localhost' matched DNS name 'localhost'",
                "pins: '" + pin(SERVER_CA.certificate()) + "' matched the anchor CN=Server CA",
                "revocation: CN=localhost: unknown (CRL: no CRL covers it)"),
                reports.get(0).lines().stream().map(PolicyReport.Line::toString).collect(Collectors.toList()));
        assertTrue(reports.get(0).lines().stream().allMatch(PolicyReport.Line::passed));
    }

    /** The application trusts the server's CA; the profile is what decides. */
    private static SSLContext client(Profiles profile) throws Exception {
        ProfileSource source = profile.source();
        return wrapped(null, trusting(SERVER_CA.certificate()), source);
    }
}
