package dev.mtls.benchmarks;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A JDK HttpsServer on 127.0.0.1 that requires a client certificate and answers each request
 * with the subject it received, so a benchmark can check that what it timed really was mutual
 * TLS with the expected identity, and counts full handshakes, so a benchmark can check that it
 * timed no resumption. Runs in the harness JVM, which has no agent.
 */
public final class RequiringHttpsServer implements AutoCloseable {
    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final AtomicLong fullHandshakes = new AtomicLong();

    public RequiringHttpsServer(BenchmarkPki pki, BenchmarkPki.Issued identity) throws IOException,
            GeneralSecurityException {
        // Without TCP_NODELAY the server's separate header and body writes meet the client's delayed
        // ACK, and every keep-alive request waits ~40 ms: the benchmark would time the network stack.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        SSLContext context = serverContext(pki, identity);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = context.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                parameters.setSSLParameters(ssl);
            }
        });
        server.createContext("/", exchange -> {
            String subject;
            try {
                subject = ((X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                        .getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
                subject = "none";
            }
            seen.put(exchange.getRequestURI().getPath(), subject);
            byte[] body = subject.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    /** Client certificate chains the server checked: one per full handshake (a resumption checks none). */
    public long fullHandshakes() {
        return fullHandshakes.get();
    }

    private SSLContext serverContext(BenchmarkPki pki, BenchmarkPki.Issued identity) throws IOException,
            GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity.keyStore("server"), "server".toCharArray());
        java.security.KeyStore anchors = java.security.KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", pki.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), new TrustManager[] {
            new CountingTrustManager((X509ExtendedTrustManager) trust.getTrustManagers()[0], fullHandshakes)}, null);
        return context;
    }

    /** An https URL for {@code path} on this server, named by host name so that the profile matches. */
    public String url(String path) {
        return "https://localhost:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The client certificate subject the server saw for {@code path}, "none", or null when no request came. */
    public String subjectSeen(String path) {
        return seen.get(path);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
