package dev.mtls.itapps;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;

/**
 * The application's own client certificate, configured the way applications do it for
 * themselves: a PKCS12 keystore whose path is the system property {@code itapp.keyStore},
 * password "changeit".
 */
final class ApplicationKeyStore {
    static final String PASSWORD = "changeit";

    private ApplicationKeyStore() {
    }

    /** {@code factory} initialised with the keystore. */
    static KeyManagerFactory keyManagers(KeyManagerFactory factory) throws Exception {
        String path = System.getProperty("itapp.keyStore");
        if (path == null) {
            throw new IllegalStateException("set -Ditapp.keyStore to the application's own PKCS12 keystore");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            store.load(in, PASSWORD.toCharArray());
        }
        factory.init(store, PASSWORD.toCharArray());
        return factory;
    }
}
