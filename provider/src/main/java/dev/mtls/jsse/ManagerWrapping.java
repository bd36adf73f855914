package dev.mtls.jsse;

import dev.mtls.log.MtlsLog;
import dev.mtls.snapshot.ProfileSource;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The one entry point both hooks call (the provider's factories and the advice on
 * {@code SSLContext#init}) to put routing managers around an application's own.
 *
 * <p>Idempotent: an array that is already wrapped comes back unchanged. Never throws: on any
 * internal failure the input comes back as it was. The caller's array is never modified; a
 * wrapped array is a copy with the one manager replaced at its own position (JSSE uses only the
 * first X509 manager, so appending ours would do nothing).
 */
public final class ManagerWrapping {
    private ManagerWrapping() {
    }

    /**
     * TLS is being set up: the first time in the JVM, the profile file is read now (see
     * {@link dev.mtls.snapshot.ActiveProfiles}), so that a problem in it shows here rather than in the middle of the
     * first handshake. Whatever happens, the wrapping goes on: handshakes read the profiles again.
     */
    private static void readProfiles(ProfileSource source) {
        try {
            source.current();
        } catch (Throwable t) {
            // Nothing to add: the handshake asks the source again and gets its own answer.
        }
    }

    /**
     * Wraps the first X509KeyManager (JSSE only uses the first); with null or no X509KeyManager, a
     * routing key manager with no delegate is put first.
     */
    public static KeyManager[] wrapKeyManagers(KeyManager[] managers, ProfileSource source) {
        readProfiles(source);
        try {
            if (managers == null) {
                return new KeyManager[] {new RoutingKeyManager(null, source)};
            }
            for (int i = 0; i < managers.length; i++) {
                if (managers[i] instanceof RoutingKeyManager) {
                    return managers;
                }
                if (managers[i] instanceof X509KeyManager) {
                    KeyManager[] wrapped = managers.clone();
                    wrapped[i] = new RoutingKeyManager((X509KeyManager) managers[i], source);
                    return wrapped;
                }
            }
            KeyManager[] wrapped = new KeyManager[managers.length + 1];
            wrapped[0] = new RoutingKeyManager(null, source);
            System.arraycopy(managers, 0, wrapped, 1, managers.length);
            return wrapped;
        } catch (Throwable t) {
            failed("key", t);
            return managers;
        }
    }

    /**
     * Wraps the first X509TrustManager; null stays null (the JDK then builds its default trust,
     * which the provider's factory wraps). A plain X509TrustManager gets a plain wrapper so the
     * JDK's own hostname and algorithm-constraint checks still apply.
     */
    public static TrustManager[] wrapTrustManagers(TrustManager[] managers, ProfileSource source) {
        readProfiles(source);
        try {
            if (managers == null) {
                return null;
            }
            for (int i = 0; i < managers.length; i++) {
                TrustManager manager = managers[i];
                if (manager instanceof RoutingTrustManager || manager instanceof PlainRoutingTrustManager) {
                    return managers;
                }
                if (manager instanceof X509TrustManager) {
                    TrustManager[] wrapped = managers.clone();
                    wrapped[i] = manager instanceof X509ExtendedTrustManager
                            ? new RoutingTrustManager((X509ExtendedTrustManager) manager, source)
                            : new PlainRoutingTrustManager((X509TrustManager) manager);
                    return wrapped;
                }
            }
            return managers;
        } catch (Throwable t) {
            failed("trust", t);
            return managers;
        }
    }

    private static void failed(String kind, Throwable t) {
        MtlsLog.warn("could not wrap the application's " + kind + " managers; leaving them as they are", t);
    }
}
