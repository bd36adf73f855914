package dev.mtls.listen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.jsse.RoutingTrustManager;
import dev.mtls.material.TrustAnchors;
import dev.mtls.profile.ClientAuth;
import dev.mtls.profile.ListenerDefinition;
import dev.mtls.snapshot.ActiveProfiles;
import dev.mtls.snapshot.GlobalJsseState;
import dev.mtls.snapshot.LoadedListener;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.testing.TestPki;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which listener covers a server handshake and what it asks of SunJSSE, on real accepted
 * sockets (the agent's hook passes the same objects).
 */
class ServerHandshakesTest {
    private static final TrustAnchors CLIENT_CA = new TrustAnchors(
            List.of(TestPki.rootCa("Handshakes CA").create().certificate()), false);
    private static final X509Certificate APPLICATION_CA = TestPki.rootCa("Application CA").create().certificate();

    private final GlobalJsseState state = new GlobalJsseState();
    private SSLServerSocket server;
    private Socket client;
    private SSLSocket accepted;

    @BeforeEach
    void acceptOneConnection() throws Exception {
        server = (SSLServerSocket) SSLContext.getDefault().getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress());
        client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        accepted = (SSLSocket) server.accept();
    }

    @AfterEach
    void close() throws Exception {
        accepted.close();
        client.close();
        server.close();
        state.restore();
    }

    private static LoadedListener listener(String name, List<Integer> ports, ClientAuth clientAuth, String problem) {
        return new LoadedListener(new ListenerDefinition(name, ports, clientAuth, null, List.of(), null, 1), null,
                CLIENT_CA, problem);
    }

    private static void inForce(LoadedListener... listeners) {
        ActiveProfiles.publish(new ProfileSnapshot(42, Path.of("listeners.yaml"), Instant.now(), null, List.of(),
                List.of(listeners)));
    }

    @Test
    void aHandshakeOnTheListenersPortIsRequiredToPresentACertificateAndRemembered() {
        LoadedListener api = listener("api", List.of(server.getLocalPort()), ClientAuth.MANDATORY, null);
        inForce(api);
        assertThat(ServerHandshakes.decide(accepted, true)).isEqualTo(ServerHandshakes.REQUIRE);
        assertThat(ServerHandshakes.coveredBy(accepted).listener()).isSameAs(api);
        assertThat(ServerHandshakes.coveredBy(accepted).client()).isEqualTo("127.0.0.1");
    }

    @Test
    void anOptionalListenerAsksForACertificate() {
        inForce(listener("api", List.of(server.getLocalPort()), ClientAuth.OPTIONAL, null));
        assertThat(ServerHandshakes.decide(accepted, true)).isEqualTo(ServerHandshakes.REQUEST);
    }

    @Test
    void aHandshakeOnAnotherPortIsLeftAsTheApplicationSetItUp() {
        inForce(listener("api", List.of(server.getLocalPort() == 1 ? 2 : 1), ClientAuth.MANDATORY, null));
        assertThat(ServerHandshakes.decide(accepted, true)).isEqualTo(ServerHandshakes.LEAVE);
        assertThat(ServerHandshakes.coveredBy(accepted)).isNull();
    }

    @Test
    void aListenerWithoutPortsCoversEveryServerHandshake() {
        inForce(listener("everything", List.of(), ClientAuth.OPTIONAL, null));
        assertThat(ServerHandshakes.decide(accepted, true)).isEqualTo(ServerHandshakes.REQUEST);
        assertThat(ServerHandshakes.coveredBy(accepted).listener().name()).isEqualTo("everything");
    }

    @Test
    void refusesWhenAMandatoryPortListenerExistsAndThePortCannotBeTold() {
        inForce(listener("api", List.of(8443), ClientAuth.MANDATORY, null));
        assertThat(ServerHandshakes.decide(new Object(), true)).asString()
                .contains("listener 'api' is mandatory", "local port of this server handshake cannot be told");
    }

    @Test
    void aHandshakeOnAnotherEngineIsUnderTheListenerWithoutPortsEvenWhenItsPortHasAListener() {
        inForce(listener("api", List.of(server.getLocalPort()), ClientAuth.OPTIONAL, null),
                listener("everything", List.of(), ClientAuth.MANDATORY, null));
        assertThat(ServerHandshakes.decideWithoutPort(accepted, true)).isEqualTo(ServerHandshakes.REQUIRE);
        assertThat(ServerHandshakes.coveredBy(accepted).listener().name()).isEqualTo("everything");
    }

    @Test
    void aHandshakeOnAnotherEngineIsRefusedWhileAMandatoryListenerNamesPorts() {
        inForce(listener("api", List.of(server.getLocalPort()), ClientAuth.MANDATORY, null),
                listener("everything", List.of(), ClientAuth.OPTIONAL, null));
        assertThat(ServerHandshakes.decideWithoutPort(accepted, true)).asString()
                .contains("listener 'api' is mandatory", "a TLS engine other than the JDK's");
        assertThat(ServerHandshakes.coveredBy(accepted)).isNull();
    }

    @Test
    void anUnknownPortUnderOnlyOptionalPortListenersIsLeftAlone() {
        inForce(listener("api", List.of(8443), ClientAuth.OPTIONAL, null));
        assertThat(ServerHandshakes.decide(new Object(), true)).isEqualTo(ServerHandshakes.LEAVE);
    }

    @Test
    void aMandatoryListenerThatCannotBeUsedRefusesWithItsReason() {
        inForce(listener("api", List.of(server.getLocalPort()), ClientAuth.MANDATORY,
                "trust: client-ca.pem does not exist"));
        assertThat(ServerHandshakes.decide(accepted, true)).asString()
                .contains("listener 'api' cannot be used: trust: client-ca.pem does not exist; refused");
    }

    @Test
    void aMandatoryListenerRefusesWhenTheContextDoesNotHoldTheAgentsTrustManager() {
        inForce(listener("api", List.of(server.getLocalPort()), ClientAuth.MANDATORY, null));
        assertThat(ServerHandshakes.decide(accepted, false)).asString()
                .contains("listener 'api' is mandatory and the server's SSLContext does not hold the agent's trust manager");
    }

    @Test
    void anOptionalListenerWhoseContextIsNotWrappedLeavesTheHandshakeAlone() {
        inForce(listener("api", List.of(server.getLocalPort()), ClientAuth.OPTIONAL, null));
        assertThat(ServerHandshakes.decide(accepted, false)).isEqualTo(ServerHandshakes.LEAVE);
        assertThat(ServerHandshakes.coveredBy(accepted)).isNull();
    }

    @Test
    void refusalsAreCountedByListenerAndReason() {
        inForce(listener("counted", List.of(8443), ClientAuth.MANDATORY, null));
        long before = ListenerCounts.refusedCounts("counted").getOrDefault("port-unknown", 0L);
        ServerHandshakes.decide(new Object(), true);
        ServerHandshakes.decide(new Object(), true);
        assertThat(ListenerCounts.refusedCounts("counted")).containsEntry("port-unknown", before + 2);
    }

    @Test
    void aMandatoryListenersClientWithoutACertificateIsCountedAsRefusedForThatReason() {
        inForce(listener("no-cert-mandatory", List.of(server.getLocalPort()), ClientAuth.MANDATORY, null));
        ServerHandshakes.decide(accepted, true);
        ServerHandshakes.noClientCertificate(accepted, true);
        ServerHandshakes.noClientCertificate(accepted, true);
        assertThat(ListenerCounts.refusedCounts("no-cert-mandatory")).containsEntry("no-certificate", 2L);
        assertThat(ListenerCounts.acceptedWithoutCertificateCount("no-cert-mandatory")).isZero();
    }

    @Test
    void anOptionalListenersClientWithoutACertificateIsCountedAsLetInWithoutOne() {
        inForce(listener("no-cert-optional", List.of(server.getLocalPort()), ClientAuth.OPTIONAL, null));
        ServerHandshakes.decide(accepted, true);
        ServerHandshakes.noClientCertificate(accepted, false);
        assertThat(ListenerCounts.acceptedWithoutCertificateCount("no-cert-optional")).isEqualTo(1);
        assertThat(ListenerCounts.refusedCounts("no-cert-optional")).isEmpty();
    }

    @Test
    void theApplicationsOwnRequirementUnderAnOptionalListenerIsNotCountedAsTheListeners() {
        inForce(listener("no-cert-app-requires", List.of(server.getLocalPort()), ClientAuth.OPTIONAL, null));
        ServerHandshakes.decide(accepted, true);
        ServerHandshakes.noClientCertificate(accepted, true);
        assertThat(ListenerCounts.refusedCounts("no-cert-app-requires")).isEmpty();
        assertThat(ListenerCounts.acceptedWithoutCertificateCount("no-cert-app-requires")).isZero();
    }

    @Test
    void aClientWithoutACertificateOnAnUncoveredPortIsNotCounted() {
        inForce(listener("no-cert-elsewhere", List.of(server.getLocalPort() == 1 ? 2 : 1), ClientAuth.MANDATORY,
                null));
        assertThat(ServerHandshakes.decide(accepted, true)).isEqualTo(ServerHandshakes.LEAVE);
        ServerHandshakes.noClientCertificate(accepted, true);
        assertThat(ListenerCounts.refusedCounts("no-cert-elsewhere")).isEmpty();
    }

    /** The CA list of a certificate request, as the agent's hook asks it where SunJSSE builds that message. */
    @Test
    void aCertificateRequestUnderAListenerThatAsksForCertificatesNamesThatListenersCasOnly() throws Exception {
        RoutingTrustManager trust = applicationTrust();
        for (ClientAuth clientAuth : List.of(ClientAuth.MANDATORY, ClientAuth.OPTIONAL)) {
            inForce(listener("api", List.of(server.getLocalPort()), clientAuth, null));
            ServerHandshakes.decide(accepted, true);
            assertThat(trust.acceptedIssuers(accepted)).as(clientAuth.toString())
                    .containsExactlyElementsOf(CLIENT_CA.certificates());
        }
    }

    @Test
    void aCertificateRequestNoListenerDecidesNamesTheApplicationsOwnCasOnly() throws Exception {
        RoutingTrustManager trust = applicationTrust();
        inForce(listener("elsewhere", List.of(server.getLocalPort() == 1 ? 2 : 1), ClientAuth.MANDATORY, null));
        ServerHandshakes.decide(accepted, true);
        assertThat(trust.acceptedIssuers(accepted)).containsExactly(APPLICATION_CA);
        assertThat(trust.getAcceptedIssuers()).as("outside a handshake: every listener's CAs, then the application's")
                .containsExactly(CLIENT_CA.certificates().get(0), APPLICATION_CA);

        inForce(listener("identity-only", List.of(server.getLocalPort()), ClientAuth.NONE, null));
        ServerHandshakes.decide(accepted, true);
        assertThat(trust.acceptedIssuers(accepted)).as("a listener that asks for no certificate")
                .containsExactly(APPLICATION_CA);
    }

    private static RoutingTrustManager applicationTrust() throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(TestPki.trustStore("PKCS12", APPLICATION_CA));
        return new RoutingTrustManager((X509ExtendedTrustManager) factory.getTrustManagers()[0],
                ActiveProfiles::current);
    }
}
