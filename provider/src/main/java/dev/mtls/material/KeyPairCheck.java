package dev.mtls.material;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;

/**
 * Proves that a private key belongs to the leaf certificate, so a key rotated without its
 * certificate (or the reverse) fails at load time with a message, not later as an opaque
 * handshake failure on the server.
 */
final class KeyPairCheck {
    private static final byte[] PROBE = "mtls-agent key pair check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairCheck() {
    }

    static void check(Object keyFile, PrivateKey key, X509Certificate leaf) throws MaterialException {
        PublicKey publicKey = leaf.getPublicKey();
        String keyFamily = family(key.getAlgorithm());
        String certificateFamily = family(publicKey.getAlgorithm());
        if (!keyFamily.equals(certificateFamily)) {
            throw mismatch(keyFile, leaf, " (" + keyFamily + " key, " + certificateFamily + " certificate)");
        }
        boolean matches;
        if (key instanceof RSAKey && publicKey instanceof RSAKey) {
            matches = rsaMatches((RSAKey) key, publicKey);
        } else if (key instanceof ECKey && publicKey instanceof ECKey
                && !sameCurve(((ECKey) key).getParams(), ((ECKey) publicKey).getParams())) {
            matches = false;
        } else {
            ECPoint derived = key instanceof ECPrivateKey && publicKey instanceof ECPublicKey
                    ? derivedPublicPoint((ECPrivateKey) key) : null;
            // d·G is the public point: the same proof as a signature that verifies, at a fraction of
            // the cost once warm. EdDSA private keys (and EC keys when the derivation declines) do not
            // carry their public key in a portable form; a signature that verifies under the
            // certificate's key is the one check that works for every provider's key classes.
            matches = derived != null ? derived.equals(((ECPublicKey) publicKey).getW())
                    : signatureVerifies(keyFile, key, publicKey, signatureAlgorithm(keyFile, keyFamily, key));
        }
        if (!matches) {
            throw mismatch(keyFile, leaf, "");
        }
    }

    /** d·G, or null to leave the proof to a signature (see {@link EcPublicPoint#of}). */
    private static ECPoint derivedPublicPoint(ECPrivateKey key) {
        try {
            return EcPublicPoint.of(key.getParams(), key.getS());
        } catch (IllegalArgumentException | ArithmeticException notACurveBouncyCastleAccepts) {
            return null;
        }
    }

    private static boolean rsaMatches(RSAKey key, PublicKey publicKey) {
        if (!key.getModulus().equals(((RSAKey) publicKey).getModulus())) {
            return false;
        }
        return !(key instanceof RSAPrivateCrtKey && publicKey instanceof RSAPublicKey)
                || ((RSAPrivateCrtKey) key).getPublicExponent().equals(((RSAPublicKey) publicKey).getPublicExponent());
    }

    private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
        return a.getOrder().equals(b.getOrder()) && a.getGenerator().equals(b.getGenerator())
                && a.getCurve().equals(b.getCurve());
    }

    private static String signatureAlgorithm(Object keyFile, String family, PrivateKey key) throws MaterialException {
        switch (family) {
            case "EC":
                return "SHA256withECDSA";
            case "DSA":
                return "SHA256withDSA";
            case "EdDSA":
                // The JDK calls these keys "EdDSA", Bouncy Castle "Ed25519"/"Ed448"; both names sign.
                return key.getAlgorithm();
            default:
                throw new MaterialException(keyFile + ": unsupported private key type '" + key.getAlgorithm()
                        + "' (use RSA, EC or Ed25519)");
        }
    }

    private static boolean signatureVerifies(Object keyFile, PrivateKey key, PublicKey publicKey, String algorithm)
            throws MaterialException {
        try {
            return signAndVerify(key, publicKey, algorithm, false);
        } catch (NoSuchAlgorithmException jdkLacksIt) {
            try {
                return signAndVerify(key, publicKey, algorithm, true);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new MaterialException(keyFile + ": cannot check the private key against its certificate ("
                        + algorithm + " unavailable)", e);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // A key the verifier rejects outright (another curve, a malformed point) is not this certificate's.
            return false;
        }
    }

    /**
     * For a key that stays in a token: a signature the token makes (bounded in time, see
     * {@link Pkcs11Tokens#sign}) that verifies under the certificate's key, which proves the pair
     * and that the login and the session work now.
     *
     * @param keySource what the messages name (the token and label)
     */
    static void checkOnToken(Object keySource, PrivateKey key, X509Certificate leaf) throws MaterialException {
        String keyFamily = family(key.getAlgorithm());
        String certificateFamily = family(leaf.getPublicKey().getAlgorithm());
        if (!keyFamily.equals(certificateFamily)) {
            throw mismatch(keySource, leaf, " (" + keyFamily + " key, " + certificateFamily + " certificate)");
        }
        String algorithm = "RSA".equals(keyFamily) ? "SHA256withRSA" : signatureAlgorithm(keySource, keyFamily, key);
        boolean matches;
        try {
            byte[] signature = Pkcs11Tokens.sign(algorithm, null, key, null, PROBE);
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(PROBE);
            matches = verifier.verify(signature);
        } catch (SignatureException e) {
            // Pkcs11Tokens names the token already.
            throw new MaterialException(e.getMessage(), e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new MaterialException(keySource + ": cannot check the key against its certificate (" + algorithm
                    + ": " + e + ")", e);
        }
        if (!matches) {
            throw mismatch(keySource, leaf, "");
        }
    }

    private static boolean signAndVerify(PrivateKey key, PublicKey publicKey, String algorithm,
            boolean bouncyCastle) throws GeneralSecurityException {
        Signature signer = bouncyCastle ? Signature.getInstance(algorithm, BouncyCastle.provider())
                : Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(PROBE);
        byte[] signature = signer.sign();
        Signature verifier = bouncyCastle ? Signature.getInstance(algorithm, BouncyCastle.provider())
                : Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(PROBE);
        return verifier.verify(signature);
    }

    static String family(String algorithm) {
        switch (algorithm) {
            case "RSA":
            case "RSASSA-PSS":
                return "RSA";
            case "EC":
            case "ECDSA":
                return "EC";
            case "EdDSA":
            case "Ed25519":
            case "Ed448":
                return "EdDSA";
            default:
                return algorithm;
        }
    }

    private static MaterialException mismatch(Object keyFile, X509Certificate leaf, String detail) {
        return new MaterialException(keyFile + ": private key does not belong to certificate " + Names.subject(leaf)
                + detail);
    }
}
