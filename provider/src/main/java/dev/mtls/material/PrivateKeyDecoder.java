package dev.mtls.material;

import dev.mtls.profile.Secret;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/** Turns a parsed PEM key block into a JDK {@link PrivateKey}, decrypting it when needed. */
final class PrivateKeyDecoder {
    static final int MAX_ITERATIONS = 1_000_000;

    private PrivateKeyDecoder() {
    }

    static PrivateKey decode(Path file, Object block, Secret password) throws MaterialException {
        PrivateKeyInfo info;
        if (block instanceof PrivateKeyInfo) {
            info = (PrivateKeyInfo) block;
        } else if (block instanceof PEMKeyPair) {
            info = ((PEMKeyPair) block).getPrivateKeyInfo();
        } else if (password == null) {
            throw new MaterialException(file + ": the private key is encrypted but no key password is given");
        } else {
            char[] chars = password.chars();
            try {
                info = decrypt(file, block, chars);
            } finally {
                Arrays.fill(chars, '\0');
            }
        }
        return toPrivateKey(file, info);
    }

    private static PrivateKeyInfo decrypt(Path file, Object block, char[] password) throws MaterialException {
        if (block instanceof PKCS8EncryptedPrivateKeyInfo) {
            checkIterations(file, (PKCS8EncryptedPrivateKeyInfo) block);
            try {
                return decryptWithJdk((PKCS8EncryptedPrivateKeyInfo) block, password);
            } catch (InvalidKeySpecException e) {
                throw failure(file, e);
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                // A scheme the JDK does not implement (scrypt, AES-192, PBES1 variants): Bouncy Castle's turn.
            }
        }
        try {
            return decryptWithBouncyCastle(block, password);
        } catch (IOException | PKCSException | OperatorCreationException | RuntimeException e) {
            throw failure(file, e);
        }
    }

    /**
     * The iteration count is the file's to choose, and key derivation takes time in proportion: a
     * damaged or hostile key file asking for two billion PBKDF2 rounds held the loading thread for
     * hours, and five million (the JDK's PKCS12 limit) still took 40 s on a busy machine, where
     * Bouncy Castle derives after the JDK has tried (both found by fuzzing). OpenSSL writes 2,048;
     * current advice for PBKDF2 stays below a million.
     */
    private static void checkIterations(Path file, PKCS8EncryptedPrivateKeyInfo block) throws MaterialException {
        BigInteger iterations;
        try {
            iterations = iterations(block.getEncryptionAlgorithm());
        } catch (RuntimeException e) {
            // Parameters that do not parse: decryption fails on them and words the error.
            return;
        }
        // Not positive counts too: Bouncy Castle takes the low 32 bits of a negative one, millions of rounds.
        if (iterations != null && (iterations.signum() <= 0
                || iterations.compareTo(BigInteger.valueOf(MAX_ITERATIONS)) > 0)) {
            throw new MaterialException(file + ": the private key's encryption asks for a key-derivation iteration"
                    + " count outside 1 to " + MAX_ITERATIONS + "; re-encrypt it (openssl pkcs8 -topk8 -v2 aes-256-cbc)");
        }
    }

    /** PBKDF2's count under PBES2, or PBES1's and PKCS#12's; null for a scheme without one. */
    private static BigInteger iterations(AlgorithmIdentifier algorithm) {
        if (PKCSObjectIdentifiers.id_PBES2.equals(algorithm.getAlgorithm())) {
            KeyDerivationFunc function = PBES2Parameters.getInstance(algorithm.getParameters()).getKeyDerivationFunc();
            return PKCSObjectIdentifiers.id_PBKDF2.equals(function.getAlgorithm())
                    ? PBKDF2Params.getInstance(function.getParameters()).getIterationCount() : null;
        }
        ASN1Sequence parameters = ASN1Sequence.getInstance(algorithm.getParameters());
        // PBES1 and PKCS#12 PBE parameters alike: SEQUENCE { salt OCTET STRING, iterations INTEGER }.
        return parameters.size() == 2 ? ASN1Integer.getInstance(parameters.getObjectAt(1)).getValue() : null;
    }

    private static MaterialException failure(Path file, Exception e) {
        if (has(e, SecurityException.class)) {
            return new MaterialException(file + ": cannot decrypt the private key: this JVM does not accept the "
                    + "bundled Bouncy Castle provider for it; re-encrypt the key as PKCS#8 with AES "
                    + "(openssl pkcs8 -topk8 -v2 aes-256-cbc)", e);
        }
        // Bouncy Castle 1.82 fails on scrypt parameters with a ClassCastException.
        if (has(e, NoSuchAlgorithmException.class) || has(e, NoSuchPaddingException.class)
                || has(e, ClassCastException.class) || unknownLegacyCipher(e)) {
            return new MaterialException(file + ": the private key is encrypted with an unsupported algorithm", e);
        }
        // Bad padding, or garbage that does not parse as a key: what a wrong password produces.
        return new MaterialException(file + ": wrong password for the encrypted private key", e);
    }

    /**
     * PBES2 with AES-128/256, what OpenSSL 1.1 and 3 write by default, through the JDK's own
     * ciphers: a relocated Bouncy Castle is unsigned, and JDKs that authenticate JCE providers
     * refuse its ciphers. The JDK names the scheme by its parameters ("PBEWithHmacSHA256AndAES_256").
     * Only a failure to decrypt ({@link InvalidKeySpecException}) means a wrong password here.
     */
    private static PrivateKeyInfo decryptWithJdk(PKCS8EncryptedPrivateKeyInfo block, char[] password)
            throws GeneralSecurityException, IOException {
        EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(block.getEncoded());
        AlgorithmParameters parameters = info.getAlgParameters();
        String algorithm = parameters != null && "PBES2".equals(info.getAlgName()) ? parameters.toString()
                : info.getAlgName();
        SecretKey secret = SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password));
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.DECRYPT_MODE, secret, parameters);
        return PrivateKeyInfo.getInstance(info.getKeySpec(cipher).getEncoded());
    }

    private static PrivateKeyInfo decryptWithBouncyCastle(Object block, char[] password)
            throws IOException, PKCSException, OperatorCreationException {
        if (block instanceof PKCS8EncryptedPrivateKeyInfo) {
            return ((PKCS8EncryptedPrivateKeyInfo) block).decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BouncyCastle.provider()).build(password));
        }
        // Legacy DEK-Info encryption needs Bouncy Castle's OpenSSL key derivation, which no JDK has.
        return ((PEMEncryptedKeyPair) block).decryptKeyPair(
                new JcePEMDecryptorProviderBuilder().setProvider(BouncyCastle.provider()).build(password))
                .getPrivateKeyInfo();
    }

    /** Bouncy Castle reports a DEK-Info cipher it does not know only in a message. */
    private static boolean unknownLegacyCipher(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("unknown encryption") || message.contains("unknown AES encryption")) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static PrivateKey toPrivateKey(Path file, PrivateKeyInfo info) throws MaterialException {
        // The JDK's own key classes first: JSSE signs with them directly.
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (PEMException | RuntimeException jdk) {
            try {
                return new JcaPEMKeyConverter().setProvider(BouncyCastle.provider()).getPrivateKey(info);
            } catch (PEMException | RuntimeException e) {
                throw new MaterialException(file + ": unsupported or malformed private key (algorithm "
                        + info.getPrivateKeyAlgorithm().getAlgorithm().getId() + ")", jdk);
            }
        }
    }
}
