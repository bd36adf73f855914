package dev.mtls.jsse;

import dev.mtls.snapshot.ProfileSource;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.UnrecoverableKeyException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;

/**
 * SunJSSE's key manager factory of the same algorithm, with its managers wrapped. Everything
 * else (initialisation, its exceptions, server-side use) is SunJSSE's, unchanged.
 */
final class RoutingKeyManagerFactorySpi extends KeyManagerFactorySpi {
    private final KeyManagerFactory delegate;
    private final ProfileSource source;

    RoutingKeyManagerFactorySpi(String algorithm, ProfileSource source) throws NoSuchAlgorithmException {
        this.delegate = sunJsse(algorithm);
        this.source = source;
    }

    private static KeyManagerFactory sunJsse(String algorithm) throws NoSuchAlgorithmException {
        try {
            return KeyManagerFactory.getInstance(algorithm, MtlsProvider.SUN_JSSE);
        } catch (NoSuchProviderException e) {
            throw new NoSuchAlgorithmException("KeyManagerFactory " + algorithm + ": SunJSSE is not installed", e);
        }
    }

    @Override
    protected void engineInit(KeyStore keyStore, char[] password)
            throws KeyStoreException, NoSuchAlgorithmException, UnrecoverableKeyException {
        delegate.init(keyStore, password);
    }

    @Override
    protected void engineInit(ManagerFactoryParameters parameters) throws InvalidAlgorithmParameterException {
        delegate.init(parameters);
    }

    @Override
    protected KeyManager[] engineGetKeyManagers() {
        return ManagerWrapping.wrapKeyManagers(delegate.getKeyManagers(), source);
    }
}
