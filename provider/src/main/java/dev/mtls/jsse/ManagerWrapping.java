package dev.mtls.jsse;

import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * The one entry point both hooks call (the provider's factories and the advice on
 * {@code SSLContext#init}) to put routing managers around an application's own (to be implemented).
 *
 * <p>Idempotent: an array that is already wrapped comes back unchanged. Never throws: on any
 * internal failure the input comes back as it was.
 */
public final class ManagerWrapping {
    private ManagerWrapping() {
    }

    /**
     * Wraps the first X509KeyManager (JSSE only uses the first); with null or no X509KeyManager, a
     * routing key manager with no delegate is put first.
     */
    public static KeyManager[] wrapKeyManagers(KeyManager[] managers, ProfileSource source) {
        return managers;
    }

    /**
     * Wraps the first X509TrustManager; null stays null (the JDK then builds its default trust,
     * which the provider's factory wraps). A plain X509TrustManager gets a plain wrapper so the
     * JDK's own hostname and algorithm-constraint checks still apply.
     */
    public static TrustManager[] wrapTrustManagers(TrustManager[] managers, ProfileSource source) {
        return managers;
    }
}
