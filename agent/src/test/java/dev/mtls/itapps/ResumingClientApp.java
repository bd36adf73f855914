package dev.mtls.itapps;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * An unmodified application caught resuming while a reload happens, step by step, over TLS 1.3
 * on its own {@code init(null, tm, null)} context:
 * <ol>
 *   <li>a call ({@code first}), whose session the JDK caches;
 *   <li>a second connection that resumes it and completes its handshake, then prints
 *       {@code handshaken} and waits for a line on stdin (the test changes the certificate and
 *       waits for the reload meanwhile);
 *   <li>that connection's request ({@code second}): reading the answer, the JDK also reads the
 *       ticket the server sent when it resumed, and caches it, a copy of the old session;
 *   <li>a new connection ({@code third}), which must not resume that copy.
 * </ol>
 * Each step prints {@code STEP resumed|full BODY}.
 */
public final class ResumingClientApp {
    private ResumingClientApp() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init((KeyStore) null);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);

        try (SSLSocket first = open(context, uri)) {
            System.out.println("first " + exchange(first, uri, System.currentTimeMillis()));
        }
        try (SSLSocket second = open(context, uri)) {
            long start = System.currentTimeMillis();
            second.startHandshake();
            System.out.println("handshaken");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            System.out.println("second " + exchange(second, uri, start));
        }
        try (SSLSocket third = open(context, uri)) {
            System.out.println("third " + exchange(third, uri, System.currentTimeMillis()));
        }
    }

    private static SSLSocket open(SSLContext context, URI uri) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(15_000);
        socket.setEnabledProtocols(new String[] {"TLSv1.3"});
        return socket;
    }

    private static String exchange(SSLSocket socket, URI uri, long start) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        socket.getInputStream().transferTo(response);
        String text = response.toString(StandardCharsets.UTF_8);
        // A resumed session, or a ticket's copy of one, keeps the creation time of its full handshake.
        String resumed = socket.getSession().getCreationTime() < start ? "resumed" : "full";
        return resumed + " " + text.substring(text.indexOf("\r\n\r\n") + 4);
    }
}
