package dev.mtls.itapps;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * An unmodified application under steady load: one thread per target keeps calling its URL,
 * each call on a new connection (so each call is a handshake, resumed when the JDK can), until
 * "stop" arrives on stdin. Styles:
 * <ul>
 *   <li>{@code context}: the application's own {@code SSLContext}, {@code init(null, tm, null)}
 *       as OkHttp or Apache HttpClient do, shared by all its threads; a new SSLSocket per call;
 *   <li>{@code urlconnection}: {@code HttpsURLConnection} on the JVM's default context; the test
 *       starts the JVM with {@code -Dhttp.keepAlive=false}.
 * </ul>
 * One line per call, with wall-clock milliseconds the test compares with its own:
 * {@code call THREAD START END ok resumed|full PROTOCOL BODY} or
 * {@code call THREAD START END failed EXCEPTION}; at the end {@code finished N} when every thread
 * ended, or {@code stuck THREAD} for each one that did not within 30 s (exit status 3).
 *
 * <p>Usage: {@code LoadClientApp PAUSE_MILLIS STYLE@URL...}
 */
public final class LoadClientApp {
    private static volatile boolean stopping;

    private LoadClientApp() {
    }

    public static void main(String[] args) throws Exception {
        long pauseMillis = Long.parseLong(args[0]);
        SSLContext own = null;
        List<Thread> threads = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String style = args[i].substring(0, args[i].indexOf('@'));
            URI uri = URI.create(args[i].substring(style.length() + 1));
            Caller caller;
            if (style.equals("context")) {
                if (own == null) {
                    own = ownContext();
                }
                caller = new SocketCaller(own.getSocketFactory());
            } else if (style.equals("urlconnection")) {
                caller = new UrlConnectionCaller();
            } else {
                throw new IllegalArgumentException("unknown style " + style);
            }
            Thread thread = new Thread(() -> keepCalling(caller, uri, pauseMillis), "caller-" + (i - 1));
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        System.out.println("started " + threads.size());

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("stop"); line = in.readLine()) {
            // Only "stop" (or the end of stdin) means anything.
        }
        stopping = true;
        long deadline = System.nanoTime() + 30_000_000_000L;
        int finished = 0;
        for (Thread thread : threads) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (thread.isAlive()) {
                System.out.println("stuck " + thread.getName());
                for (StackTraceElement frame : thread.getStackTrace()) {
                    System.out.println("    at " + frame);
                }
            } else {
                finished++;
            }
        }
        System.out.println("finished " + finished);
        System.out.flush();
        System.exit(finished == threads.size() ? 0 : 3);
    }

    private static void keepCalling(Caller caller, URI uri, long pauseMillis) {
        String name = Thread.currentThread().getName();
        while (!stopping) {
            long start = System.currentTimeMillis();
            String result;
            try {
                result = caller.call(uri, start);
            } catch (Exception | Error e) {
                result = "failed " + e.toString().replace('\n', ' ');
            }
            System.out.println("call " + name + " " + start + " " + System.currentTimeMillis() + " " + result);
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static SSLContext ownContext() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init((KeyStore) null);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** ok, whether the session was resumed, the protocol and the body. */
    private static String describe(SSLSession session, long start, String status, String body) {
        // A resumed session (TLS 1.2) or a ticket's session (TLS 1.3) keeps the creation time of the full handshake.
        String resumed = session.getCreationTime() < start ? "resumed" : "full";
        return "ok " + resumed + " " + session.getProtocol() + " " + status + " " + body;
    }

    private interface Caller {
        String call(URI uri, long start) throws Exception;
    }

    private static final class SocketCaller implements Caller {
        private final SSLSocketFactory factory;

        SocketCaller(SSLSocketFactory factory) {
            this.factory = factory;
        }

        @Override
        public String call(URI uri, long start) throws IOException {
            try (SSLSocket socket = (SSLSocket) factory.createSocket(uri.getHost(), uri.getPort())) {
                socket.setSoTimeout(15_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                ByteArrayOutputStream response = new ByteArrayOutputStream();
                socket.getInputStream().transferTo(response);
                String text = response.toString(StandardCharsets.UTF_8);
                int space = text.indexOf(' ');
                return describe(socket.getSession(), start, text.substring(space + 1, space + 4),
                        text.substring(text.indexOf("\r\n\r\n") + 4));
            }
        }
    }

    private static final class UrlConnectionCaller implements Caller {
        private final RememberingFactory factory = new RememberingFactory(HttpsURLConnection.getDefaultSSLSocketFactory());

        @Override
        public String call(URI uri, long start) throws IOException {
            HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(15_000);
            connection.setReadTimeout(15_000);
            // The default context's own factory, wrapped only to see the session afterwards (getSSLSession is JDK 12+).
            connection.setSSLSocketFactory(factory);
            try (InputStream in = connection.getInputStream()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return describe(factory.last.get().getSession(), start, String.valueOf(connection.getResponseCode()),
                        body);
            } finally {
                connection.disconnect();
            }
        }
    }

    /** Delegates to the default factory and remembers, per thread, the last socket it made. */
    private static final class RememberingFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        final ThreadLocal<SSLSocket> last = new ThreadLocal<>();

        RememberingFactory(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private Socket remember(Socket socket) {
            if (socket instanceof SSLSocket) {
                last.set((SSLSocket) socket);
            }
            return socket;
        }

        @Override
        public Socket createSocket() throws IOException {
            return remember(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return remember(delegate.createSocket(socket, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return remember(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return remember(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return remember(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return remember(delegate.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
