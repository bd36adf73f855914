package dev.mtls.jsse;

import dev.mtls.snapshot.ProfileSource;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Client-side contexts and a handshake that proves the server accepted us. */
public final class TestClients {
    private TestClients() {
    }

    /** SunJSSE's PKIX trust manager over the given CAs: an application's ordinary, extended one. */
    public static TrustManager[] trusting(X509Certificate... cas) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        factory.init(TestPki.trustStore("PKCS12", cas));
        return factory.getTrustManagers();
    }

    /** The application's own key manager holding its own client certificate. */
    public static KeyManager[] ownKeys(TestCertificate certificate) throws GeneralSecurityException {
        KeyManagerFactory factory = KeyManagerFactory.getInstance("NewSunX509", "SunJSSE");
        KeyStore store = certificate.keyStore("PKCS12", "changeit", "own");
        factory.init(store, "changeit".toCharArray());
        return factory.getKeyManagers();
    }

    /** What an application does, with our wrapping applied as the SSLContext#init hook would. */
    public static SSLContext wrapped(KeyManager[] keys, TrustManager[] trust, ProfileSource source)
            throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
        context.init(ManagerWrapping.wrapKeyManagers(keys, source), ManagerWrapping.wrapTrustManagers(trust, source),
                null);
        return context;
    }

    public static SSLContext plain(KeyManager[] keys, TrustManager[] trust) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
        context.init(keys, trust, null);
        return context;
    }

    /** Connects by name, handshakes and reads the server's reply; any TLS failure is thrown. */
    public static void exchange(SSLContext context, String host, int port, String protocol) throws IOException {
        exchange(context, host, port, protocol, false);
    }

    public static void exchange(SSLContext context, String host, int port, String protocol, boolean httpsIdentification)
            throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host, port)) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {protocol});
            if (httpsIdentification) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
            }
            handshakeAndRead(socket);
        }
    }

    /**
     * What a database driver does: opens a plain socket to an address, layers TLS over it under
     * that address ({@code createSocket(socket, address, port, true)}) and names the server only
     * in SNI.
     */
    public static void exchangeLayered(SSLContext context, String address, int port, String serverName, String protocol)
            throws IOException {
        try (Socket plain = new Socket(address, port);
                SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, address, port, true)) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {protocol});
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
            socket.setSSLParameters(parameters);
            handshakeAndRead(socket);
        }
    }

    private static void handshakeAndRead(SSLSocket socket) throws IOException {
        socket.startHandshake();
        // TLS 1.3: a rejected client certificate only shows on the first read.
        String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
        if (!"ok".equals(reply)) {
            throw new IOException("server closed the connection (reply " + reply + ")");
        }
    }
}
