package dev.mtls.itapps;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * Servers as an application writes them, with no client-auth code at all: its own certificate
 * from its keystore ({@code -Ditapp.keyStore}), default trust. Arguments: {@code https:PORT} for a
 * JDK {@code HttpsServer} (an SSLEngine server over a SocketChannel), {@code socket:PORT} for a plain
 * {@code SSLServerSocket}; {@code need-socket:PORT} is one that requires client certificates itself
 * ({@code setNeedClientAuth(true)}, default trust), {@code trustall-socket:PORT} one whose context
 * has the trust-all manager of countless applications (a plain {@code X509TrustManager}). Each answers with one line, "client: SUBJECT" or "client: none", read
 * through the server's own API ({@code HttpsExchange.getSSLSession()}, {@code SSLSocket.getSession()}),
 * and prints "listening" once every server is up.
 */
public final class ListenerServersApp {
    private ListenerServersApp() {
    }

    public static void main(String[] args) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(ApplicationKeyStore.keyManagers(KeyManagerFactory.getInstance("PKIX")).getKeyManagers(), null,
                null);
        ExecutorService executor = Executors.newCachedThreadPool();
        for (String server : args) {
            int port = Integer.parseInt(server.substring(server.indexOf(':') + 1));
            if (server.startsWith("https:")) {
                https(context, port, executor);
            } else if (server.startsWith("trustall-socket:")) {
                SSLContext trustAll = SSLContext.getInstance("TLS");
                trustAll.init(ApplicationKeyStore.keyManagers(KeyManagerFactory.getInstance("PKIX")).getKeyManagers(),
                        new TrustManager[] {new TrustAllManager()}, null);
                socket(trustAll, port, false, executor);
            } else {
                socket(context, port, server.startsWith("need-socket:"), executor);
            }
        }
        System.out.println("listening");
        System.out.flush();
        // Until the test closes stdin (or kills the JVM).
        while (System.in.read() >= 0) {
            // Nothing to read: the test only closes it.
        }
        System.exit(0);
    }

    private static void https(SSLContext context, int port, ExecutorService executor) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            byte[] body = ("client: " + peer(((HttpsExchange) exchange).getSSLSession()) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    /** @param needClientAuth the application's own {@code setNeedClientAuth(true)}, checked by its default trust */
    private static void socket(SSLContext context, int port, boolean needClientAuth, ExecutorService executor)
            throws Exception {
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(port, 50, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(needClientAuth);
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    SSLSocket socket = (SSLSocket) server.accept();
                    executor.execute(() -> answer(socket));
                } catch (Exception e) {
                    return;
                }
            }
        }, "socket-acceptor-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Reads the request line (the client's first bytes), then answers and closes. */
    private static void answer(SSLSocket socket) {
        try (SSLSocket connection = socket) {
            InputStream in = connection.getInputStream();
            int read = in.read();
            while (read >= 0 && read != '\n') {
                // the request line: its content does not matter
                read = in.read();
            }
            OutputStream out = connection.getOutputStream();
            out.write(("client: " + peer(connection.getSession()) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (Exception e) {
            // A refused handshake ends here; the client sees the alert.
        }
    }

    private static String peer(SSLSession session) {
        try {
            return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return "none";
        }
    }
}
