package dev.mtls.jsse;

import dev.mtls.material.Pkcs11Tokens;
import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;

/**
 * Signs with a key that lives in a PKCS#11 token the agent configured. The agent's SunPKCS11
 * instances are deliberately not in the JVM's provider list (the application's provider order
 * must not change), so SunJSSE's {@code Signature.getInstance(algorithm)} would find no provider
 * that accepts their keys. This provider registers the TLS signature algorithms for SunPKCS11 key
 * classes only ({@code SupportedKeyClasses}), and hands the work to the token's own provider: any
 * other key is refused at once and the JDK moves on to the next provider, as without the agent.
 */
public final class TokenSignatureSpi extends SignatureSpi {
    /** SunPKCS11's key base class: no other key reaches this SPI. */
    static final String TOKEN_KEY_CLASS = "sun.security.pkcs11.P11Key";

    private final String algorithm;
    private AlgorithmParameterSpec parameters;
    private Signature delegate;

    TokenSignatureSpi(String algorithm) {
        this.algorithm = algorithm;
    }

    @Override
    protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
        engineInitSign(privateKey, (SecureRandom) null);
    }

    @Override
    protected void engineInitSign(PrivateKey privateKey, SecureRandom random) throws InvalidKeyException {
        delegate = null;
        for (Provider token : Pkcs11Tokens.providers()) {
            try {
                Signature signature = Signature.getInstance(algorithm, token);
                if (parameters != null) {
                    signature.setParameter(parameters);
                }
                if (random != null) {
                    signature.initSign(privateKey, random);
                } else {
                    signature.initSign(privateKey);
                }
                delegate = signature;
                return;
            } catch (GeneralSecurityException | RuntimeException anotherTokensKey) {
                // A key of another token (or of the application's own SunPKCS11): try the next.
            }
        }
        throw new InvalidKeyException("not a key of a PKCS#11 token mtls-agent configured");
    }

    /**
     * The JDK 13+ form SunJSSE uses for RSASSA-PSS (parameters with the key); not an
     * {@code @Override} because the code targets Java 11, where it does not exist yet.
     */
    protected void engineInitSign(PrivateKey privateKey, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        parameters = params;
        engineInitSign(privateKey, random);
    }

    @Override
    protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
        throw new InvalidKeyException("mtls-agent signs with token keys only; verifying is left to other providers");
    }

    @Override
    protected void engineUpdate(byte b) throws SignatureException {
        initialised().update(b);
    }

    @Override
    protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
        initialised().update(b, off, len);
    }

    @Override
    protected void engineUpdate(ByteBuffer input) {
        try {
            initialised().update(input);
        } catch (SignatureException e) {
            // As SignatureSpi's own ByteBuffer update reports it.
            throw new ProviderException(e);
        }
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
        return initialised().sign();
    }

    @Override
    protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
        throw new SignatureException("mtls-agent signs with token keys only");
    }

    @Override
    protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
        parameters = params;
        if (delegate != null) {
            delegate.setParameter(params);
        }
    }

    @Override
    protected AlgorithmParameters engineGetParameters() {
        return delegate != null ? delegate.getParameters() : null;
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {
        throw new InvalidParameterException("not supported");
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
        throw new InvalidParameterException("not supported");
    }

    private Signature initialised() throws SignatureException {
        if (delegate == null) {
            throw new SignatureException("not initialised for signing");
        }
        return delegate;
    }
}
