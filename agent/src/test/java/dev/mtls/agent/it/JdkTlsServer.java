package dev.mtls.agent.it;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
 * A JDK {@code HttpsServer} in the test JVM (which runs no agent) that requires or only asks for
 * a client certificate from {@code clientCa}. Its page is two lines, "client certificate: SUBJECT"
 * (or "none") and "protocol: TLSv1.3"; it also remembers the subject per request path.
 */
final class JdkTlsServer implements TlsTestServer {
    private static final String SUBJECT_LINE = "client certificate: ";
    private static final String PROTOCOL_LINE = "protocol: ";

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, String> subjects = new ConcurrentHashMap<>();

    private JdkTlsServer(TestCertificate certificate, TestCertificate clientCa, boolean needClientAuth) {
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            SSLContext context = serverContext(certificate, clientCa);
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", exchange -> {
            SSLSession session = ((HttpsExchange) exchange).getSSLSession();
            String subject = ServerReport.NONE;
            try {
                subject = ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
                // No client certificate: that is what "none" records.
            }
            subjects.put(exchange.getRequestURI().getPath(), subject);
            byte[] body = (SUBJECT_LINE + subject + "\n" + PROTOCOL_LINE + session.getProtocol() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    static JdkTlsServer requiringClientCertificate(TestCertificate certificate, TestCertificate clientCa) {
        return new JdkTlsServer(certificate, clientCa, true);
    }

    static JdkTlsServer askingForClientCertificate(TestCertificate certificate, TestCertificate clientCa) {
        return new JdkTlsServer(certificate, clientCa, false);
    }

    private static SSLContext serverContext(TestCertificate certificate, TestCertificate clientCa)
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
    public String kind() {
        return "JDK HttpsServer";
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public ServerReport report(String responseBody) {
        String[] lines = responseBody.split("\n");
        if (lines.length < 2 || !lines[0].startsWith(SUBJECT_LINE) || !lines[1].startsWith(PROTOCOL_LINE)) {
            return null;
        }
        return new ServerReport(lines[0].substring(SUBJECT_LINE.length()), lines[1].substring(PROTOCOL_LINE.length()));
    }

    /** The client certificate subject seen for a path, "none", or null when no request arrived. */
    String subjectSeen(String path) {
        return subjects.get(path);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
