package dev.mtls.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Finding the host a handshake is for, on real SunJSSE engines and sockets. */
class PeerTest {

    private static SSLContext context() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
        context.init(null, null, null);
        return context;
    }

    @Test
    void engineCreatedWithHostAndPortNamesThem() throws Exception {
        Peer peer = Peer.of(context().createSSLEngine("API.example.com", 8443));
        assertEquals("API.example.com", peer.host());
        assertEquals(8443, peer.port());
    }

    @Test
    void engineWithoutPeerHostFallsBackToSni() throws Exception {
        SSLEngine engine = context().createSSLEngine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("api.example.com")));
        engine.setSSLParameters(parameters);
        Peer peer = Peer.of(engine);
        assertEquals("api.example.com", peer.host());
        assertEquals(-1, peer.port());
    }

    @Test
    void printsAnApplicationsHostWithItsControlCharactersEscaped() throws Exception {
        Peer peer = Peer.of(context().createSSLEngine("a.example.com\nerror: forged\u001b[31m", 443));
        assertEquals("a.example.com\nerror: forged\u001b[31m", peer.host(), "routing sees the host as given");
        assertEquals(-1, peer.toString().indexOf('\n'));
        assertEquals(-1, peer.toString().indexOf('\u001b'));
    }

    @Test
    void engineWithNeitherHostNorSniHasNoPeer() throws Exception {
        assertNull(Peer.of(context().createSSLEngine()));
        assertNull(Peer.of((SSLEngine) null));
    }

    @Test
    void socketConnectedByAddressGivesTheLiteralNeverAReverseLookup() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                Socket socket = new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), server.getLocalPort())) {
            Peer peer = Peer.of(socket);
            assertEquals("127.0.0.1", peer.host());
            assertEquals(server.getLocalPort(), peer.port());
        }
    }

    @Test
    void unconnectedSocketHasNoPeer() throws Exception {
        try (Socket socket = new Socket()) {
            assertNull(Peer.of(socket));
        }
        assertNull(Peer.of((Socket) null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.5", "2001:db8::5"})
    void engineCreatedForAnAddressIsNamedByItsServerName(String address) throws Exception {
        SSLEngine engine = context().createSSLEngine(address, 5432);
        serverName(engine, "db.internal");
        Peer peer = Peer.of(engine);
        assertEquals("db.internal", peer.host());
        assertEquals(5432, peer.port());
        assertEquals(address, peer.address().host());
        assertEquals(5432, peer.address().port());
    }

    @Test
    void engineCreatedForAHostNameKeepsItOverADifferentServerName() throws Exception {
        SSLEngine engine = context().createSSLEngine("api.example.com", 443);
        serverName(engine, "other.example.com");
        Peer peer = Peer.of(engine);
        assertEquals("api.example.com", peer.host());
        assertNull(peer.address());
    }

    @Test
    void engineCreatedForAnAddressWithoutServerNameKeepsTheAddress() throws Exception {
        Peer peer = Peer.of(context().createSSLEngine("10.0.0.5", 5432));
        assertEquals("10.0.0.5", peer.host());
        assertNull(peer.address());
    }

    private static void serverName(SSLEngine engine, String name) {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(name)));
        engine.setSSLParameters(parameters);
    }
}
