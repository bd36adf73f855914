package dev.mtls.itapps;

import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * An application that makes many short-lived SSLContexts ({@code init(null, tm, null)}, each
 * used for one call, so each has a cached session) and drops them, as some clients do per
 * request. With the agent, every one of them is wrapped and registered for the session sweep;
 * none may be kept alive by that. It keeps them past a few reload checks first, so the sweeper
 * has gone through them. Prints {@code registered N}, then {@code collected K of N} and
 * {@code registered after M} ({@code -1} when the agent's registry is not on the class path).
 *
 * <p>Usage: {@code ContextGcApp COUNT WAIT_MILLIS URL}
 */
public final class ContextGcApp {
    private ContextGcApp() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        long waitMillis = Long.parseLong(args[1]);
        URI uri = URI.create(args[2]);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init((KeyStore) null);

        List<SSLContext> inUse = new ArrayList<>();
        List<WeakReference<SSLContext>> dropped = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            call(context, uri);
            inUse.add(context);
            dropped.add(new WeakReference<>(context));
        }
        System.out.println("registered " + registered());
        // Still in use while the reload checks sweep their sessions; then dropped.
        Thread.sleep(waitMillis);
        inUse.clear();

        long deadline = System.nanoTime() + 20_000_000_000L;
        while (dropped.stream().anyMatch(reference -> reference.get() != null) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        System.out.println("collected " + dropped.stream().filter(reference -> reference.get() == null).count()
                + " of " + count);
        System.out.println("registered after " + registered());
    }

    private static void call(SSLContext context, URI uri) throws Exception {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.getInputStream().readAllBytes();
        }
    }

    /** The agent's registry, read the way any code on the class path could; -1 without the agent. */
    private static int registered() {
        try {
            return (int) Class.forName("dev.mtls.sessions.WrappedContexts").getMethod("size").invoke(null);
        } catch (ReflectiveOperationException e) {
            return -1;
        }
    }
}
