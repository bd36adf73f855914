package dev.mtls.benchmarks;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The key and trust managers a benchmark's child application builds for itself, the JDK's way,
 * from the PKCS12 files its harness wrote (password {@value #PASSWORD}). JDK only: children run
 * with nothing but the benchmark's classes on their class path.
 */
public final class ChildKeyStores {
    public static final String PASSWORD = "changeit";

    private ChildKeyStores() {
    }

    public static KeyManager[] keyManagers(Path file) throws Exception {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(load(file), PASSWORD.toCharArray());
        return factory.getKeyManagers();
    }

    public static TrustManager[] trustManagers(Path file) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(load(file));
        return factory.getTrustManagers();
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }
}
