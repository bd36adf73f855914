package dev.mtls.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The JDK's {@code HttpsServer} on 127.0.0.1, in the test JVM, that requires or only asks for a
 * client certificate and says which one it received. Its page is two lines,
 * "client certificate: SUBJECT" (or "none") and "protocol: TLSv1.3"; it also remembers, per
 * request path, what it saw. Its context comes from SunJSSE by name, so an MtlsProvider installed
 * in the test JVM is never involved on the server's side. Session resumption stays on, as on any
 * real server.
 *
 * <pre>{@code
 * JdkTlsServer server = JdkTlsServer.requiringClientCertificate(serverCertificate, clientCa);
 * JdkTlsServer tls12 = JdkTlsServer.asking(serverCertificate, clientCa).protocols("TLSv1.2").start();
 * }</pre>
 */
public final class JdkTlsServer implements TlsTestServer {
    private static final String SUBJECT_LINE = "client certificate: ";
    private static final String PROTOCOL_LINE = "protocol: ";

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, ServerReport> seen = new ConcurrentHashMap<>();
    private final boolean subjectAndSerialPage;
    private final boolean closeEachConnection;

    private JdkTlsServer(Builder builder) {
        subjectAndSerialPage = builder.subjectAndSerialPage;
        closeEachConnection = builder.closeEachConnection;
        SSLContext context = builder.context();
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                // Through SSLParameters: the JDK applies HttpsParameters' own need and want flags one
                // after the other, and setting want=false clears need=true.
                SSLParameters ssl = context.getDefaultSSLParameters();
                if (builder.protocols != null) {
                    ssl.setProtocols(builder.protocols);
                }
                if (builder.needClientAuth) {
                    ssl.setNeedClientAuth(true);
                } else {
                    ssl.setWantClientAuth(true);
                }
                parameters.setSSLParameters(ssl);
            }
        });
        server.createContext("/", exchange -> {
            SSLSession session = ((HttpsExchange) exchange).getSSLSession();
            X509Certificate leaf = clientCertificate(session);
            ServerReport report = new ServerReport(
                    leaf == null ? ServerReport.NONE : leaf.getSubjectX500Principal().getName(), session.getProtocol());
            seen.put(exchange.getRequestURI().getPath(), report);
            byte[] body = page(report, leaf).getBytes(StandardCharsets.UTF_8);
            if (closeEachConnection) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    /** Requires a client certificate issued by {@code clientCa}; TLS 1.3 and 1.2. */
    public static JdkTlsServer requiringClientCertificate(TestCertificate certificate, TestCertificate clientCa) {
        return requiring(certificate, clientCa).start();
    }

    /** Asks for a client certificate issued by {@code clientCa} and accepts a handshake without one. */
    public static JdkTlsServer askingForClientCertificate(TestCertificate certificate, TestCertificate clientCa) {
        return asking(certificate, clientCa).start();
    }

    /** A server that requires a client certificate, with options before {@link Builder#start()}. */
    public static Builder requiring(TestCertificate certificate, TestCertificate clientCa) {
        return new Builder(certificate, clientCa, null, true);
    }

    /** A server that only asks for a client certificate, with options before {@link Builder#start()}. */
    public static Builder asking(TestCertificate certificate, TestCertificate clientCa) {
        return new Builder(certificate, clientCa, null, false);
    }

    /**
     * A server on a context the test built itself (from the provider under test, say), requiring a
     * client certificate as that context's trust managers decide.
     */
    public static Builder requiring(SSLContext context) {
        return new Builder(null, null, context, true);
    }

    /** How to start a server: protocols, page and connection handling. */
    public static final class Builder {
        private final TestCertificate certificate;
        private final TestCertificate clientCa;
        private final SSLContext context;
        private final boolean needClientAuth;
        private String[] protocols;
        private boolean subjectAndSerialPage;
        private boolean closeEachConnection;

        private Builder(TestCertificate certificate, TestCertificate clientCa, SSLContext context,
                boolean needClientAuth) {
            this.certificate = certificate;
            this.clientCa = clientCa;
            this.context = context;
            this.needClientAuth = needClientAuth;
        }

        /** Only these protocols, e.g. "TLSv1.2", so a client with default settings negotiates that one. */
        public Builder protocols(String... protocols) {
            this.protocols = protocols.clone();
            return this;
        }

        /**
         * The page is one line, {@code <subject>;<serial in hex>} (see {@link #seen(TestCertificate)}) or
         * {@value ServerReport#NONE}: for client applications that print what they received line by line,
         * and tests that must tell two certificates of one subject apart.
         */
        public Builder answeringSubjectAndSerial() {
            this.subjectAndSerialPage = true;
            return this;
        }

        /** Answers with "Connection: close", so a client's next request makes a new handshake. */
        public Builder closingEachConnection() {
            this.closeEachConnection = true;
            return this;
        }

        public JdkTlsServer start() {
            return new JdkTlsServer(this);
        }

        private SSLContext context() {
            if (context != null) {
                return context;
            }
            try {
                return TestTlsServer.serverContext(certificate, clientCa.certificate());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** What a server started with {@link Builder#answeringSubjectAndSerial()} answers for this client certificate. */
    public static String seen(TestCertificate clientCertificate) {
        return subjectAndSerial(clientCertificate.certificate());
    }

    @Override
    public String kind() {
        return "JDK HttpsServer";
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    /** https://host:port/ */
    public String url(String host) {
        return url(host, "/");
    }

    @Override
    public ServerReport report(String responseBody) {
        String[] lines = responseBody.split("\n");
        if (lines.length < 2 || !lines[0].startsWith(SUBJECT_LINE) || !lines[1].startsWith(PROTOCOL_LINE)) {
            return null;
        }
        return new ServerReport(lines[0].substring(SUBJECT_LINE.length()), lines[1].substring(PROTOCOL_LINE.length()));
    }

    /** What the server saw for a path, or null when no request arrived. */
    public ServerReport seen(String path) {
        return seen.get(path);
    }

    /** The client certificate subject seen for a path, {@value ServerReport#NONE}, or null when no request arrived. */
    public String subjectSeen(String path) {
        ServerReport report = seen.get(path);
        return report == null ? null : report.clientSubject;
    }

    /**
     * GETs https://host:port/ with {@code java.net.http.HttpClient} (an SSLEngine client) on
     * {@code client} and returns the client certificate subject the server reported.
     */
    public String get(SSLContext client, String host) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().sslContext(client).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(host))).timeout(Duration.ofSeconds(10)).build();
        String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        ServerReport report = report(body);
        if (report == null) {
            throw new AssertionError("not this server's page: " + body);
        }
        return report.clientSubject;
    }

    private String page(ServerReport report, X509Certificate leaf) {
        if (subjectAndSerialPage) {
            return leaf == null ? ServerReport.NONE : subjectAndSerial(leaf);
        }
        return SUBJECT_LINE + report.clientSubject + "\n" + PROTOCOL_LINE + report.protocol + "\n";
    }

    private static String subjectAndSerial(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName() + ";" + certificate.getSerialNumber().toString(16);
    }

    private static X509Certificate clientCertificate(SSLSession session) {
        try {
            return (X509Certificate) session.getPeerCertificates()[0];
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
