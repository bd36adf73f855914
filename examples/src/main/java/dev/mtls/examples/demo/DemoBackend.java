package dev.mtls.examples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The demo's backend API: a plain HTTPS server on 127.0.0.1 with no client-auth code (no trust
 * set-up, no need/want client auth). It answers {@code GET /hello} with the subject of the client
 * certificate its TLS session reports, e.g. {@code {"hello":"CN=bot-client,O=mtls-demo"}}. Started
 * with the agent and a {@code mandatory} listener (examples/demo/backend-listeners.yaml), its
 * handshakes require the bot's certificate; the application code stays as it is.
 *
 * <p>Usage: {@code DemoBackend PKI_DIR [PORT]} — reads {@code backend.p12} (its server identity),
 * once, from the folder make-pki.sh wrote; port 0 or none picks a free one. Prints
 * {@code demo backend listening on https://localhost:PORT/hello}, then one line per connection, and
 * runs until killed.
 *
 * <p>Not the JDK's {@code HttpsServer}: it drops a connection whose handshake failed without sending
 * the TLS alert, so clients report "EOF" or "Broken pipe" instead of {@code bad_certificate}. Here
 * each connection is plain TCP with TLS layered on top ({@link BackendConnection}), so a refused
 * handshake can send its alert and let the client read it before the connection goes away.
 */
public final class DemoBackend {
    static final String KEYSTORE_PASSWORD = "demo-backend-pass";

    private DemoBackend() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: DemoBackend PKI_DIR [PORT]");
            System.exit(2);
        }
        Path pki = Path.of(args[0]);
        int port = args.length == 2 ? Integer.parseInt(args[1]) : 0;
        SSLContext context = serverContext(pki);

        ExecutorService connections = Executors.newCachedThreadPool();
        try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            System.out.println("demo backend listening on https://localhost:" + server.getLocalPort() + "/hello");
            while (true) {
                Socket socket = server.accept();
                connections.execute(new BackendConnection(context, socket));
            }
        }
    }

    private static SSLContext serverContext(Path pki) throws IOException, GeneralSecurityException {
        KeyStore identity = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.resolve("backend.p12"))) {
            identity.load(in, KEYSTORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity, KEYSTORE_PASSWORD.toCharArray());

        // No trust managers: a server that asks for no client certificates has nothing to trust.
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
