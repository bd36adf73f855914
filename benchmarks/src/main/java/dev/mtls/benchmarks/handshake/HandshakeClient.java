package dev.mtls.benchmarks.handshake;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The application a throughput run times, in a child JVM of its own. It builds one SSLContext the
 * way applications do — its own trust store, and either its own key ({@code app}: a
 * KeyManagerFactory over the PKCS12 file, the fair baseline) or none ({@code agent}: the agent's
 * hook on {@code SSLContext#init} supplies the profile's key) — then, after a warm-up, counts for
 * a fixed time either
 * <ul>
 *   <li>{@code handshakes}: new connections, each a full handshake (the session is invalidated so
 *       the next one cannot resume), closed right after, or
 *   <li>{@code requests}: HTTPS GETs over the JDK's keep-alive connection.
 * </ul>
 * {@code check} makes three connections as {@code handshakes} does, with one request on each, and
 * prints the server's answers, which the harness inspects (the subject the server saw; openssl's
 * "New" or "Reused").
 *
 * <p>Usage: {@code HandshakeClient MODE app|agent URL TRUSTSTORE KEYSTORE PASSWORD WARMUP_S SECONDS}.
 * Prints {@code count=}, {@code nanos=}, {@code cpuMillis=} (the whole process's CPU during the timed
 * part, JIT and GC threads included) and {@code threadCpuMicros=} (the calling thread's alone: the
 * handshakes themselves, the agent's routing included).
 */
public final class HandshakeClient {
    private HandshakeClient() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        boolean ownKey = args[1].equals("app");
        URL url = new URL(args[2]);
        SSLContext context = context(args[3], ownKey ? args[4] : null, args[5].toCharArray());
        long warmup = Duration.ofSeconds(Long.parseLong(args[6])).toNanos();
        long measure = Duration.ofSeconds(Long.parseLong(args[7])).toNanos();
        if (mode.equals("check")) {
            for (int i = 0; i < 3; i++) {
                System.out.println("answer=" + checkedHandshake(context.getSocketFactory(), url)
                        .replace('\r', ' ').replace('\n', ' '));
            }
            return;
        }
        boolean handshakes = mode.equals("handshakes");
        run(handshakes, url, context, warmup);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuBefore = cpuNanos();
        long threadCpuBefore = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long count = run(handshakes, url, context, measure);
        long nanos = System.nanoTime() - start;
        long threadCpu = threads.getCurrentThreadCpuTime() - threadCpuBefore;
        long cpu = cpuNanos() - cpuBefore;
        System.out.println("count=" + count);
        System.out.println("nanos=" + nanos);
        System.out.println("cpuMillis=" + cpu / 1_000_000);
        System.out.println("threadCpuMicros=" + threadCpu / 1_000);
    }

    private static long run(boolean handshakes, URL url, SSLContext context, long nanos) throws IOException {
        SSLSocketFactory factory = context.getSocketFactory();
        long deadline = System.nanoTime() + nanos;
        long count = 0;
        while (System.nanoTime() < deadline) {
            if (handshakes) {
                handshake(factory, url.getHost(), url.getPort());
            } else {
                get(url, factory);
            }
            count++;
        }
        return count;
    }

    private static void handshake(SSLSocketFactory factory, String host, int port) throws IOException {
        try (SSLSocket socket = (SSLSocket) factory.createSocket(host, port)) {
            socket.startHandshake();
            // Out of the client cache: the next connection makes a full handshake, never a resumption.
            socket.getSession().invalidate();
        }
    }

    /** One GET over the keep-alive connection the JDK pools. */
    private static void get(URL url, SSLSocketFactory factory) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) url.openConnection();
        connection.setSSLSocketFactory(factory);
        try (InputStream in = connection.getInputStream()) {
            in.readAllBytes();
        }
        if (connection.getResponseCode() != 200) {
            throw new IOException("HTTP " + connection.getResponseCode());
        }
    }

    /**
     * A connection made exactly as the timed loop makes them, then one HTTP/1.0 GET on it: the
     * answer shows what the server saw of that very handshake (openssl -www: "New" or "Reused",
     * and the client certificate; the JDK server: the subject).
     */
    private static String checkedHandshake(SSLSocketFactory factory, URL url) throws IOException {
        try (SSLSocket socket = (SSLSocket) factory.createSocket(url.getHost(), url.getPort())) {
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + url.getPath() + " HTTP/1.0\r\nHost: " + url.getHost() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            socket.getSession().invalidate();
            return answer;
        }
    }

    private static SSLContext context(String trustStore, String keyStore, char[] password) throws IOException,
            GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustStore, password));
        KeyManager[] keys = null;
        if (keyStore != null) {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(load(keyStore, password), password);
            keys = factory.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(String file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    }
}
