package dev.mtls.agent.it;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;

/**
 * A JDK HttpsServer on 127.0.0.1, in the test JVM (which runs no agent), that answers every
 * request with the client certificate it received: {@code <subject>;<serial in hex>}, or
 * {@value #NONE}. It either requires a client certificate or only asks for one, and speaks the
 * protocols it is given (so a client with default settings negotiates TLS 1.2 with a server that
 * offers only that). Session resumption stays on, as on any real server.
 */
final class IdentityEchoServer implements AutoCloseable {
    static final String NONE = "none";

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    private IdentityEchoServer(SSLContext context, boolean needClientAuth, String... protocols) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                // Through SSLParameters: HttpsParameters' own want flag clears need (see TestBackends).
                SSLParameters ssl = context.getDefaultSSLParameters();
                ssl.setProtocols(protocols);
                if (needClientAuth) {
                    ssl.setNeedClientAuth(true);
                } else {
                    ssl.setWantClientAuth(true);
                }
                parameters.setSSLParameters(ssl);
            }
        });
        server.createContext("/", exchange -> {
            String seen = NONE;
            try {
                X509Certificate leaf = (X509Certificate) ((HttpsExchange) exchange).getSSLSession()
                        .getPeerCertificates()[0];
                seen = leaf.getSubjectX500Principal().getName() + ";" + RotatingPki.serial(leaf.getSerialNumber());
            } catch (SSLPeerUnverifiedException e) {
                // No client certificate: "none" says so.
            }
            byte[] body = seen.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    /** Requires a client certificate issued by {@code clientCa}. */
    static IdentityEchoServer requiring(TestCertificate certificate, TestCertificate clientCa, String... protocols)
            throws IOException, GeneralSecurityException {
        return new IdentityEchoServer(context(certificate, clientCa), true, protocols);
    }

    /** Asks for a client certificate and accepts a handshake without one. */
    static IdentityEchoServer asking(TestCertificate certificate, TestCertificate clientCa, String... protocols)
            throws IOException, GeneralSecurityException {
        return new IdentityEchoServer(context(certificate, clientCa), false, protocols);
    }

    String url(String host) {
        return "https://" + host + ":" + server.getAddress().getPort() + "/";
    }

    private static SSLContext context(TestCertificate certificate, TestCertificate clientCa)
            throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(certificate.keyStore("PKCS12", "server-pass", "server"), "server-pass".toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(TestPki.trustStore("PKCS12", clientCa.certificate()));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
