package dev.mtls.jsse;

import dev.mtls.snapshot.ProfileSource;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;

/**
 * SunJSSE's trust manager factory of the same algorithm, with its managers wrapped. Reading
 * {@code javax.net.ssl.trustStore} stays SunJSSE's and happens at {@code init}, so settings an
 * application makes in {@code main} are still honoured.
 */
final class RoutingTrustManagerFactorySpi extends TrustManagerFactorySpi {
    private final TrustManagerFactory delegate;
    private final ProfileSource source;

    RoutingTrustManagerFactorySpi(String algorithm, ProfileSource source) throws NoSuchAlgorithmException {
        this.delegate = sunJsse(algorithm);
        this.source = source;
    }

    private static TrustManagerFactory sunJsse(String algorithm) throws NoSuchAlgorithmException {
        try {
            return TrustManagerFactory.getInstance(algorithm, MtlsProvider.SUN_JSSE);
        } catch (NoSuchProviderException e) {
            throw new NoSuchAlgorithmException("TrustManagerFactory " + algorithm + ": SunJSSE is not installed", e);
        }
    }

    @Override
    protected void engineInit(KeyStore keyStore) throws KeyStoreException {
        delegate.init(keyStore);
    }

    @Override
    protected void engineInit(ManagerFactoryParameters parameters) throws InvalidAlgorithmParameterException {
        delegate.init(parameters);
    }

    @Override
    protected TrustManager[] engineGetTrustManagers() {
        return ManagerWrapping.wrapTrustManagers(delegate.getTrustManagers(), source);
    }
}
