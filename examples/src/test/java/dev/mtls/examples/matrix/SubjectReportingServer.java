package dev.mtls.examples.matrix;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

/**
 * A JDK HttpsServer on 127.0.0.1 in the test JVM (which runs no agent) that either requires or
 * only asks for a client certificate. Per request path it records what it saw, the client
 * certificate's subject ("none" without one) and the protocol, and answers with the same.
 */
final class SubjectReportingServer implements AutoCloseable {
    static final String NONE = "none";

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    /** What the server saw of one request. */
    static final class Seen {
        final String subject;
        final String protocol;

        Seen(String subject, String protocol) {
            this.subject = subject;
            this.protocol = protocol;
        }

        @Override
        public String toString() {
            return subject + " over " + protocol;
        }
    }

    private SubjectReportingServer(SSLContext context, boolean requireClientCertificate) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                // Through SSLParameters: HttpsParameters applies want after need, and want=false clears need.
                SSLParameters ssl = context.getDefaultSSLParameters();
                if (requireClientCertificate) {
                    ssl.setNeedClientAuth(true);
                } else {
                    ssl.setWantClientAuth(true);
                }
                parameters.setSSLParameters(ssl);
            }
        });
        server.createContext("/", exchange -> {
            SSLSession session = ((HttpsExchange) exchange).getSSLSession();
            Seen request = new Seen(subject(session), session.getProtocol());
            seen.put(exchange.getRequestURI().getPath(), request);
            byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    static SubjectReportingServer requiringClientCertificate(MatrixPki pki) throws IOException {
        return new SubjectReportingServer(context(pki.server, pki.ca), true);
    }

    static SubjectReportingServer askingForClientCertificate(MatrixPki pki) throws IOException {
        return new SubjectReportingServer(context(pki.server, pki.ca), false);
    }

    String url(String host, String path) {
        return "https://" + host + ":" + server.getAddress().getPort() + path;
    }

    /** What the server saw for a path, or null when no request arrived. */
    Seen seen(String path) {
        return seen.get(path);
    }

    private static String subject(SSLSession session) {
        try {
            return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return NONE;
        }
    }

    private static SSLContext context(TestCertificate server, TestCertificate clientCa) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(server.keyStore("PKCS12", "server-pass", "server"), "server-pass".toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(TestPki.trustStore("PKCS12", clientCa.certificate()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
