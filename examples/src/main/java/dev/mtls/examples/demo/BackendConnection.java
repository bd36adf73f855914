package dev.mtls.examples.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * One connection to {@link DemoBackend}: a TLS handshake as the server's context and any listener
 * make it, one request, one answer naming the client certificate the session reports.
 */
final class BackendConnection implements Runnable {
    private static final int MAX_HEADER_LINES = 100;

    private final SSLContext context;
    private final Socket socket;

    BackendConnection(SSLContext context, Socket socket) {
        this.context = context;
        this.socket = socket;
    }

    @Override
    public void run() {
        try (Socket plain = socket) {
            plain.setSoTimeout(10_000);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, null, plain.getPort(), false);
            tls.setUseClientMode(false);
            try {
                tls.startHandshake();
            } catch (SSLException e) {
                System.out.println("refused a handshake: " + e.getMessage());
                letClientReadTheAlert(plain);
                return;
            }
            String subject = clientSubject(tls);
            String path = readRequestPath(tls);
            answer(tls, path, subject);
            System.out.println(path + " from " + subject);
            tls.close();
        } catch (IOException | RuntimeException e) {
            System.out.println("connection failed: " + e);
        }
    }

    /** The subject of the client's certificate, as any server reads it from its TLS session. */
    private static String clientSubject(SSLSocket tls) {
        try {
            X509Certificate client = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            return client.getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return "(no client certificate)";
        }
    }

    /**
     * The handshake has sent its alert; the TLS socket is closed, the TCP one (not auto-closed) is not.
     * Closing it now, with the client's last flight or its request still unread, would send a TCP
     * reset that can overtake the alert ("Broken pipe" at the client). Half-close and drain instead.
     */
    private static void letClientReadTheAlert(Socket plain) {
        try {
            plain.shutdownOutput();
            plain.setSoTimeout(5_000);
            plain.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the client went away first: nothing left to protect
        }
    }

    private static String readRequestPath(SSLSocket tls) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.ISO_8859_1));
        String requestLine = in.readLine();
        if (requestLine == null) {
            throw new IOException("no request");
        }
        String line = requestLine;
        for (int lines = 0; line != null && !line.isEmpty() && lines < MAX_HEADER_LINES; lines++) {
            line = in.readLine();
        }
        String[] parts = requestLine.split(" ");
        return parts.length >= 2 ? parts[1] : "";
    }

    private static void answer(SSLSocket tls, String path, String subject) throws IOException {
        boolean hello = path.equals("/hello");
        String json = hello
                ? "{\"hello\":\"" + subject.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n"
                : "{\"error\":\"not found\"}\n";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        // Connection: close — each call handshakes anew (resuming the client's cached TLS session where
        // it can), so a rotated client certificate shows on the next call. A backend that keeps
        // connections alive sees a new certificate only when the client opens its next connection.
        String head = "HTTP/1.1 " + (hello ? "200 OK" : "404 Not Found") + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        OutputStream out = tls.getOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }
}
