package dev.mtls.material;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * A private Bouncy Castle provider instance, for the few algorithms the running JDK lacks.
 *
 * <p>Never added to {@code Security}: the agent runs inside host JVMs and must not change their
 * provider list. Created on first use only, because building it loads hundreds of classes and
 * most profiles (plain keys on a current JDK) never need it. The JDK's own providers are tried
 * first also because a relocated (so unsigned) Bouncy Castle cannot serve ciphers on JDKs that
 * authenticate JCE providers.
 */
final class BouncyCastle {
    private BouncyCastle() {
    }

    static Provider provider() {
        return Holder.PROVIDER;
    }

    private static final class Holder {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
