package dev.mtls.agent.netty;

import dev.mtls.jsse.ManagerWrapping;
import dev.mtls.snapshot.ActiveProfiles;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;

/**
 * What {@code SslContextBuilder#build} puts into the builder's key and trust manager factory
 * fields before it builds (see {@link SslContextBuilderInstrumentation}): for a client builder, a
 * factory holding the routing key manager (around the application's own, if it set one), and
 * routing trust managers around an application trust manager factory. Netty's contexts then ask
 * that key manager with the engine whose {@code getPeerHost()} is the host the application
 * connects to, for the OpenSSL engine as for the JDK one.
 *
 * <p>Public because the calls are in Netty's class, in another package and class loader (the
 * application's, which sees the agent jar through the system class loader). Every method returns
 * the field's value unchanged for a server builder, when there is nothing to do, when the value
 * is already ours (a builder may be built twice), or on any failure: the build must go on. Server
 * builders are {@link NettyServerManagers}'s.
 */
public final class NettyClientManagers {
    /** Never registered with {@code Security}; a factory must name some provider. */
    private static final Provider PROVIDER = new FactoryProvider();

    private NettyClientManagers() {
    }

    /**
     * @param keyCertChain {@code key}, {@code credentials}: key material the application gave
     *        instead of a factory (credentials are Netty 4.2's OpenSSL ones, null before): Netty
     *        then builds from it directly, with no key manager we could route, so it is left alone
     * @param configured the builder's key manager factory, null when the application set none
     * @return the factory the builder should use
     */
    public static KeyManagerFactory keyManagers(boolean forServer, X509Certificate[] keyCertChain, PrivateKey key,
            List<?> credentials, KeyManagerFactory configured) {
        try {
            boolean keyMaterial = keyCertChain != null || key != null || (credentials != null && !credentials.isEmpty());
            if (forServer || configured instanceof RoutingKeyManagerFactory || (configured == null && keyMaterial)) {
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
    public static TrustManagerFactory trustManagers(boolean forServer, TrustManagerFactory configured) {
        try {
            if (forServer || configured == null || configured instanceof RoutingTrustManagerFactory) {
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
