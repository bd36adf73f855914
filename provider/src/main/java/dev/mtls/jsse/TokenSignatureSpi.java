package dev.mtls.jsse;

import dev.mtls.material.Pkcs11Tokens;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;

/**
 * Signs with a key that lives in a PKCS#11 token the agent configured. The agent's SunPKCS11
 * instances are deliberately not in the JVM's provider list (the application's provider order
 * must not change), so SunJSSE's {@code Signature.getInstance(algorithm)} would find no provider
 * that accepts their keys. This provider registers the TLS signature algorithms for SunPKCS11 key
 * classes only ({@code SupportedKeyClasses}) and accepts only the keys the agent read from a token:
 * any other key is refused at once, without a token call, and the JDK moves on to the next
 * provider, as without the agent.
 *
 * <p>The data to sign is collected here (a handshake signs a few hundred bytes) and the whole
 * signature is made by {@link Pkcs11Tokens#sign} on a bounded worker, so a token that stops
 * answering fails the handshake with a message rather than holding the handshake's thread.
 */
public final class TokenSignatureSpi extends SignatureSpi {
    /** SunPKCS11's key base class: no other key reaches this SPI. */
    static final String TOKEN_KEY_CLASS = "sun.security.pkcs11.P11Key";

    private final String algorithm;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream(512);
    private AlgorithmParameterSpec parameters;
    private PrivateKey key;
    private SecureRandom random;

    TokenSignatureSpi(String algorithm) {
        this.algorithm = algorithm;
    }

    @Override
    protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
        engineInitSign(privateKey, (SecureRandom) null);
    }

    @Override
    protected void engineInitSign(PrivateKey privateKey, SecureRandom secureRandom) throws InvalidKeyException {
        if (!Pkcs11Tokens.canSign(privateKey, algorithm)) {
            // Another provider's key (the application's own SunPKCS11), or a scheme the token cannot make:
            // the JDK tries the next provider, SunJSSE the next signature scheme.
            throw new InvalidKeyException("not a key of a PKCS#11 token mtls-agent read, or " + algorithm
                    + " not offered by its token");
        }
        key = privateKey;
        random = secureRandom;
        data.reset();
    }

    /**
     * The JDK 13+ form SunJSSE uses for RSASSA-PSS (parameters with the key); not an
     * {@code @Override} because the code targets Java 11, where it does not exist yet.
     */
    protected void engineInitSign(PrivateKey privateKey, AlgorithmParameterSpec params, SecureRandom secureRandom)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        engineInitSign(privateKey, secureRandom);
        parameters = params;
    }

    @Override
    protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
        throw new InvalidKeyException("mtls-agent signs with token keys only; verifying is left to other providers");
    }

    @Override
    protected void engineUpdate(byte b) throws SignatureException {
        initialised();
        data.write(b);
    }

    @Override
    protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
        initialised();
        data.write(b, off, len);
    }

    @Override
    protected void engineUpdate(ByteBuffer input) {
        byte[] bytes = new byte[input.remaining()];
        input.get(bytes);
        data.write(bytes, 0, bytes.length);
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
        initialised();
        byte[] toSign = data.toByteArray();
        data.reset();
        try {
            return Pkcs11Tokens.sign(algorithm, parameters, key, random, toSign);
        } catch (InvalidKeyException e) {
            throw new SignatureException(e.getMessage(), e);
        }
    }

    @Override
    protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
        throw new SignatureException("mtls-agent signs with token keys only");
    }

    @Override
    protected void engineSetParameter(AlgorithmParameterSpec params) {
        parameters = params;
    }

    @Override
    protected AlgorithmParameters engineGetParameters() {
        return null;
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

    private void initialised() throws SignatureException {
        if (key == null) {
            throw new SignatureException("not initialised for signing");
        }
    }
}
