package dev.mtls.examples.servers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * What the server applications share, none of it client-auth code: the application's own keystore
 * ({@code -Dserver.keyStore}, PKCS#12, password "changeit"), the answer line the tests read, and the
 * life cycle a test drives (prints "listening" once every port is up, runs until stdin closes).
 */
final class ServerApps {
    static final String PASSWORD = "changeit";

    private ServerApps() {
    }

    static Path keyStoreFile() {
        return Path.of(System.getProperty("server.keyStore"));
    }

    /** The key managers of the application's keystore. */
    static KeyManagerFactory keyManagers() throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile())) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, PASSWORD.toCharArray());
        return keys;
    }

    /** The SSLContext an application builds from its keystore: its key, the JDK's default trust. */
    static SSLContext applicationContext() throws Exception {
        KeyManagerFactory keys = keyManagers();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    static List<Integer> ports(String[] arguments) {
        List<Integer> ports = new ArrayList<>();
        for (String argument : arguments) {
            ports.add(Integer.valueOf(argument));
        }
        return ports;
    }

    /** "client: SUBJECT" for the first certificate the server's API reported, "client: none" for none. */
    static String answer(Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return "client: none\n";
        }
        return "client: " + ((X509Certificate) chain[0]).getSubjectX500Principal().getName() + "\n";
    }

    /**
     * Tells the test which server runs ("server: Apache Tomcat/10.1.59": the class path is the one
     * meant) and that it is up, then serves until the test closes stdin.
     */
    static void serveUntilStdinCloses(String server) throws IOException {
        System.out.println("server: " + server);
        System.out.println("listening");
        System.out.flush();
        while (System.in.read() >= 0) {
            // The test only ever closes it.
        }
        System.exit(0);
    }
}
