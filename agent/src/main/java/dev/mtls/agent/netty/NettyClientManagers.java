package dev.mtls.agent.netty;

import dev.mtls.jsse.ActiveProfiles;
import dev.mtls.jsse.ManagerWrapping;
import java.security.KeyStore;
import java.security.Provider;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;

/**
 * What the advice in a client-side {@code SslContextBuilder#build} puts into the builder's key and
 * trust manager factory fields. Public because the advice is inlined into Netty's class, in
 * another package and class loader (the application's, which sees the agent jar through the
 * system class loader).
 *
 * <p>Every method returns its input unchanged when there is nothing to do, when the input is
 * already ours (a builder may be built twice), or on any failure: the host's build must go on.
 */
public final class NettyClientManagers {
    /** Never registered with {@code Security}; a factory must name some provider. */
    private static final Provider PROVIDER = new FactoryProvider();

    private NettyClientManagers() {
    }

    /**
     * @param configured the builder's key manager factory, null when the application set none
     * @param keyMaterialConfigured whether the application gave a key and chain (or OpenSSL
     *        credentials) instead of a factory: Netty then uses them directly and builds no key
     *        manager we could route, so they are left as they are
     * @return the factory the builder should use
     */
    public static KeyManagerFactory keyManagers(KeyManagerFactory configured, boolean keyMaterialConfigured) {
        try {
            if (configured instanceof RoutingKeyManagerFactory || (configured == null && keyMaterialConfigured)) {
                return configured;
            }
            KeyManager[] own = configured == null ? null : configured.getKeyManagers();
            return new RoutingKeyManagerFactory(ManagerWrapping.wrapKeyManagers(own, ActiveProfiles.source()));
        } catch (Throwable t) {
            // An application factory that was never initialised, say: Netty reports that itself.
            return configured;
        }
    }

    /**
     * @param configured the builder's trust manager factory; null stays null, because Netty then
     *        asks {@code TrustManagerFactory.getInstance(getDefaultAlgorithm())}, which the agent's
     *        provider already answers with routing trust managers
     * @return the factory the builder should use
     */
    public static TrustManagerFactory trustManagers(TrustManagerFactory configured) {
        try {
            if (configured == null || configured instanceof RoutingTrustManagerFactory) {
                return configured;
            }
            TrustManager[] own = configured.getTrustManagers();
            TrustManager[] wrapped = ManagerWrapping.wrapTrustManagers(own, ActiveProfiles.source());
            return wrapped == own ? configured : new RoutingTrustManagerFactory(wrapped);
        } catch (Throwable t) {
            return configured;
        }
    }

    /** A factory that hands out managers made already; Netty only ever asks it for them. */
    static final class RoutingKeyManagerFactory extends KeyManagerFactory {
        RoutingKeyManagerFactory(KeyManager[] managers) {
            super(new FixedKeyManagers(managers), PROVIDER, "mtls-routing");
        }
    }

    static final class RoutingTrustManagerFactory extends TrustManagerFactory {
        RoutingTrustManagerFactory(TrustManager[] managers) {
            super(new FixedTrustManagers(managers), PROVIDER, "mtls-routing");
        }
    }

    private static final class FixedKeyManagers extends KeyManagerFactorySpi {
        private final KeyManager[] managers;

        FixedKeyManagers(KeyManager[] managers) {
            this.managers = managers;
        }

        @Override
        protected void engineInit(KeyStore keyStore, char[] password) {
            // Already holds its managers.
        }

        @Override
        protected void engineInit(ManagerFactoryParameters parameters) {
            // Already holds its managers.
        }

        @Override
        protected KeyManager[] engineGetKeyManagers() {
            return managers.clone();
        }
    }

    private static final class FixedTrustManagers extends TrustManagerFactorySpi {
        private final TrustManager[] managers;

        FixedTrustManagers(TrustManager[] managers) {
            this.managers = managers;
        }

        @Override
        protected void engineInit(KeyStore keyStore) {
            // Already holds its managers.
        }

        @Override
        protected void engineInit(ManagerFactoryParameters parameters) {
            // Already holds its managers.
        }

        @Override
        protected TrustManager[] engineGetTrustManagers() {
            return managers.clone();
        }
    }

    private static final class FactoryProvider extends Provider {
        private static final long serialVersionUID = 1L;

        FactoryProvider() {
            super("mtls-netty", "1", "Routing managers handed to Netty's SslContextBuilder");
        }
    }
}
