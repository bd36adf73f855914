package dev.mtls.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS server on plain sockets (no HTTP) on 127.0.0.1 that asks for a client certificate and
 * records, per connection, the subject it received ({@link #NONE} when the client sent none,
 * {@link #FAILED} when the handshake failed), so a test also sees the handshakes that fail. Its
 * managers come from SunJSSE by name, so an installed MtlsProvider is never involved on this
 * side. For clients that speak HTTPS, {@link JdkTlsServer}.
 */
public final class TestTlsServer implements AutoCloseable {
    public static final String NONE = "(no client certificate)";
    public static final String FAILED = "(handshake failed)";

    private final SSLServerSocket socket;
    private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

    private TestTlsServer(SSLServerSocket socket) {
        this.socket = socket;
        Thread thread = new Thread(this::serve, "test-tls-server-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** Requires a client certificate issued by {@code clientCa}. */
    public static TestTlsServer needClientAuth(TestCertificate serverCertificate, TestCertificate clientCa) {
        return start(serverCertificate, clientCa, true);
    }

    /** Asks for, but does not require, a client certificate issued by {@code clientCa}. */
    public static TestTlsServer wantClientAuth(TestCertificate serverCertificate, TestCertificate clientCa) {
        return start(serverCertificate, clientCa, false);
    }

    private static TestTlsServer start(TestCertificate serverCertificate, TestCertificate clientCa, boolean need) {
        try {
            SSLServerSocket socket = (SSLServerSocket) serverContext(serverCertificate, clientCa.certificate())
                    .getServerSocketFactory().createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            socket.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            if (need) {
                socket.setNeedClientAuth(true);
            } else {
                socket.setWantClientAuth(true);
            }
            return new TestTlsServer(socket);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A server-side context of SunJSSE by name, so that an MtlsProvider installed in the test JVM is
     * never involved on the server's side: {@code serverCertificate}'s key and chain, trusting {@code clientCas}.
     */
    public static SSLContext serverContext(TestCertificate serverCertificate, X509Certificate... clientCas)
            throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509", "SunJSSE");
        keys.init(serverCertificate.keyStore("PKCS12", "changeit", "server"), "changeit".toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        trust.init(TestPki.trustStore("PKCS12", clientCas));
        SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** What the server saw on its next connection. */
    public String nextClientSubject() throws InterruptedException {
        String subject = seen.poll(10, TimeUnit.SECONDS);
        if (subject == null) {
            throw new AssertionError("the server saw no connection");
        }
        return subject;
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (SSLSocket client = (SSLSocket) socket.accept()) {
                client.setSoTimeout(10_000);
                handle(client);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                seen.add(FAILED);
            }
        }
    }

    private void handle(SSLSocket client) throws IOException {
        try {
            client.startHandshake();
        } catch (IOException e) {
            seen.add(FAILED);
            return;
        }
        String subject;
        try {
            subject = ((X509Certificate) client.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            subject = NONE;
        }
        seen.add(subject);
        OutputStream out = client.getOutputStream();
        out.write("ok\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
