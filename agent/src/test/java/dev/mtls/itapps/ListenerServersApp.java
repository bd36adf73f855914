package dev.mtls.itapps;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
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
 * and prints "listening" once every server is up; on the line "counts" it prints the listeners'
 * counts from the agent's MBean.
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
        // Until the test closes stdin (or kills the JVM); "counts" prints the listeners' JMX counts.
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if ("counts".equals(line)) {
                printCounts();
            }
        }
        System.exit(0);
    }

    /**
     * Each listener's counts as an operator's JMX console shows them, one line each:
     * {@code counts NAME accepted=N acceptedWithoutCertificate=N refused={reason=N, ...}}, then "counted".
     */
    private static void printCounts() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.mtls:type=Agent");
        // The agent registers its MBean 2 s after start; a bounded wait, as JmxProbeApp's.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!server.isRegistered(name) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        for (Object row : (Object[]) server.getAttribute(name, "Listeners")) {
            CompositeData listener = (CompositeData) row;
            Map<String, Object> refused = new TreeMap<>();
            for (Object entry : ((TabularData) listener.get("refused")).values()) {
                refused.put((String) ((CompositeData) entry).get("key"), ((CompositeData) entry).get("value"));
            }
            System.out.println("counts " + listener.get("name") + " accepted=" + listener.get("accepted")
                    + " acceptedWithoutCertificate=" + listener.get("acceptedWithoutCertificate") + " refused=" + refused);
        }
        System.out.println("counted");
        System.out.flush();
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
