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
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Two JDK HttpsServers on 127.0.0.1, in the test JVM (which runs no agent): one that requires a
 * client certificate, one that only asks for one. Each records, per request path, the subject of
 * the client certificate it received, or "none"; the tests assert on what the server saw.
 */
final class TestBackends implements AutoCloseable {
    static final String NONE = "none";

    private final HttpsServer required;
    private final HttpsServer optional;
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    TestBackends(TestCertificate server, TestCertificate clientCa) throws IOException, GeneralSecurityException {
        SSLContext context = serverContext(server, clientCa);
        required = start(context, true);
        optional = start(context, false);
    }

    private HttpsServer start(SSLContext context, boolean needClientAuth) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                // Through SSLParameters: the JDK applies HttpsParameters' own need and want flags one
                // after the other, and setting want=false clears need=true.
                SSLParameters ssl = context.getDefaultSSLParameters();
                if (needClientAuth) {
                    ssl.setNeedClientAuth(true);
                } else {
                    ssl.setWantClientAuth(true);
                }
                parameters.setSSLParameters(ssl);
            }
        });
        server.createContext("/", exchange -> {
            String subject = NONE;
            try {
                Certificate[] chain = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
                subject = ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
                // No client certificate: that is what "none" records.
            }
            seen.put(exchange.getRequestURI().getPath(), subject);
            byte[] body = subject.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        return server;
    }

    private static SSLContext serverContext(TestCertificate server, TestCertificate clientCa)
            throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(server.keyStore("PKCS12", "server-pass", "server"), "server-pass".toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(TestPki.trustStore("PKCS12", clientCa.certificate()));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    /** A URL on the server that requires a client certificate. */
    String requiredUrl(String host, String path) {
        return "https://" + host + ":" + required.getAddress().getPort() + path;
    }

    /** A URL on the server that asks for a client certificate but accepts a handshake without one. */
    String optionalUrl(String host, String path) {
        return "https://" + host + ":" + optional.getAddress().getPort() + path;
    }

    /** The client certificate subject the servers saw for a path, "none", or null when no request arrived. */
    String subjectSeen(String path) {
        return seen.get(path);
    }

    @Override
    public void close() {
        required.stop(0);
        optional.stop(0);
    }
}
