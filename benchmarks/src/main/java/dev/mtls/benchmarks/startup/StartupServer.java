package dev.mtls.benchmarks.startup;

import dev.mtls.benchmarks.ChildKeyStores;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The server application whose start-up is timed: a JDK {@code HttpsServer} written with no
 * client auth (its own key, no trust managers, no {@code HttpsParameters}), which serves one
 * request and exits. The request comes from this JVM (a client that presents its certificate
 * whenever asked), so that the run ends by itself; the server answers with the subject of the
 * client certificate it received, or {@code none}. Prints that answer, the CPU time of the whole
 * process and its peak resident set, which {@link StartupBenchmark} reads.
 *
 * <p>{@code need} instead: the same server requiring client certificates itself
 * ({@code setNeedClientAuth(true)} and a trust manager over the client CA), as an application
 * configures mutual TLS without the agent.
 *
 * <p>Arguments: {@code PORT DIR plain|need}; DIR holds server.p12, client.p12 and truststore.p12
 * ({@link ChildKeyStores}).
 */
public final class StartupServer {
    private StartupServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        boolean need = args[2].equals("need");
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(ChildKeyStores.keyManagers(dir.resolve("server.p12")),
                need ? ChildKeyStores.trustManagers(dir.resolve("truststore.p12")) : null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setHttpsConfigurator(need ? new HttpsConfigurator(serverContext) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = serverContext.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                parameters.setSSLParameters(ssl);
            }
        } : new HttpsConfigurator(serverContext));
        server.createContext("/", exchange -> {
            String subject;
            try {
                subject = ((X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                        .getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
                subject = "none";
            }
            byte[] body = subject.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();

        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(ChildKeyStores.keyManagers(dir.resolve("client.p12")),
                ChildKeyStores.trustManagers(dir.resolve("truststore.p12")), null);
        HttpsURLConnection connection = (HttpsURLConnection) new URL("https://localhost:" + port + "/").openConnection();
        connection.setSSLSocketFactory(clientContext.getSocketFactory());
        StartupClient.requestAndReport(connection);
        server.stop(0);
    }
}
