package dev.mtls.itapps;

import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * Bouncy Castle's JSSE by provider object, never registered in {@code java.security}, as the
 * libraries that bundle it use it; its crypto from a Bouncy Castle provider object too (without
 * one, it asks the JCA for a "DEFAULT" SecureRandom, which only Bouncy Castle's provider has). A
 * class of its own so that the other styles run without Bouncy Castle on the class path.
 */
final class BouncyCastleClient {
    private BouncyCastleClient() {
    }

    static SSLContext context() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS", new BouncyCastleJsseProvider(new BouncyCastleProvider()));
        context.init(null, null, null);
        return context;
    }
}
