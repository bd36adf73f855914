package dev.mtls.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.listen.ServerHandshakes;
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
 * The CA list of a certificate request, per server handshake (what the agent's hook asks where
 * SunJSSE builds that message), on real accepted sockets.
 */
class ListenerIssuersTest {
    private static final X509Certificate LISTENER_CA = TestPki.rootCa("Listener Issuers CA").create().certificate();
    private static final X509Certificate APPLICATION_CA = TestPki.rootCa("Application CA").create().certificate();

    private final GlobalJsseState state = new GlobalJsseState();
    private SSLServerSocket server;
    private Socket client;
    private SSLSocket accepted;
    private RoutingTrustManager trust;

    @BeforeEach
    void acceptOneConnection() throws Exception {
        server = (SSLServerSocket) SSLContext.getDefault().getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress());
        client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        accepted = (SSLSocket) server.accept();
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(TestPki.trustStore("PKCS12", APPLICATION_CA));
        trust = new RoutingTrustManager((X509ExtendedTrustManager) factory.getTrustManagers()[0],
                ActiveProfiles::current);
    }

    @AfterEach
    void close() throws Exception {
        accepted.close();
        client.close();
        server.close();
        state.restore();
    }

    private void inForce(ClientAuth clientAuth, int port) {
        LoadedListener listener = new LoadedListener(new ListenerDefinition("api", List.of(port), clientAuth, null,
                List.of(), null, 1), null, new TrustAnchors(List.of(LISTENER_CA), false), null);
        ActiveProfiles.publish(new ProfileSnapshot(7, Path.of("listeners.yaml"), Instant.now(), null, List.of(),
                List.of(listener)));
        ServerHandshakes.decide(accepted, true);
    }

    @Test
    void aHandshakeUnderAMandatoryListenerListsThatListenersCasOnly() {
        inForce(ClientAuth.MANDATORY, server.getLocalPort());
        assertThat(trust.acceptedIssuers(accepted)).containsExactly(LISTENER_CA);
    }

    @Test
    void aHandshakeUnderAnOptionalListenerListsThatListenersCasOnly() {
        inForce(ClientAuth.OPTIONAL, server.getLocalPort());
        assertThat(trust.acceptedIssuers(accepted)).containsExactly(LISTENER_CA);
    }

    @Test
    void aHandshakeNoListenerCoversListsTheApplicationsOwnCasOnly() {
        inForce(ClientAuth.MANDATORY, server.getLocalPort() + 1);
        assertThat(trust.acceptedIssuers(accepted)).containsExactly(APPLICATION_CA);
        assertThat(trust.getAcceptedIssuers()).as("outside a handshake: every listener's CAs, then the application's")
                .containsExactly(LISTENER_CA, APPLICATION_CA);
    }

    @Test
    void aListenerThatAsksForNoCertificateLeavesTheApplicationsList() {
        inForce(ClientAuth.NONE, server.getLocalPort());
        assertThat(trust.acceptedIssuers(accepted)).containsExactly(APPLICATION_CA);
    }
}
