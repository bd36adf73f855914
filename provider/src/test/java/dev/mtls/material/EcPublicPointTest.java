package dev.mtls.material;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldF2m;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The public point derived from JDK parameters agrees with the JDK's own key generation. */
class EcPublicPointTest {

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void derivesThePublicPointOfKeysTheJdkGenerated(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        for (int i = 0; i < 10; i++) {
            KeyPair pair = generator.generateKeyPair();
            ECPrivateKey key = (ECPrivateKey) pair.getPrivate();
            assertEquals(((ECPublicKey) pair.getPublic()).getW(), derive(key.getParams(), key.getS()),
                    curve + " key " + i);
        }
    }

    @Test
    void declinesTheFirstKeyOfACurveAndBinaryCurves() {
        // secp256k1, which no other test here uses: the first call leaves the check to a signature.
        BigInteger p = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);
        ECPoint g = new ECPoint(
                new BigInteger("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", 16),
                new BigInteger("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", 16));
        BigInteger n = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
        ECParameterSpec secp256k1 = new ECParameterSpec(new EllipticCurve(new ECFieldFp(p), BigInteger.ZERO,
                BigInteger.valueOf(7)), g, n, 1);

        assertNull(EcPublicPoint.of(secp256k1, BigInteger.TWO));
        assertEquals(g, EcPublicPoint.of(secp256k1, BigInteger.ONE));
        // 2G on secp256k1, from its published test vectors.
        assertEquals(new ECPoint(
                new BigInteger("C6047F9441ED7D6D3045406E95C07CD85C778E4B8CEF3CA7ABAC09B95C709EE5", 16),
                new BigInteger("1AE168FEA63DC339A3C58419466CEAEEF7F632653266D0E1236431A950CFE52A", 16)),
                EcPublicPoint.of(secp256k1, BigInteger.TWO));

        ECParameterSpec binary = new ECParameterSpec(new EllipticCurve(new ECFieldF2m(163, new int[] {7, 6, 3}),
                BigInteger.ONE, BigInteger.ONE), new ECPoint(BigInteger.TWO, BigInteger.TWO), n, 2);
        assertNull(EcPublicPoint.of(binary, BigInteger.TWO));
        assertNull(EcPublicPoint.of(binary, BigInteger.TWO));
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1"})
    void handlesTheEdgesOfTheScalarRange(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        ECParameterSpec spec = ((ECPrivateKey) generator.generateKeyPair().getPrivate()).getParams();
        ECPoint g = spec.getGenerator();
        BigInteger n = spec.getOrder();

        assertEquals(g, derive(spec, BigInteger.ONE));
        assertEquals(g, derive(spec, n.add(BigInteger.ONE)));
        assertEquals(ECPoint.POINT_INFINITY, derive(spec, n));
        assertEquals(ECPoint.POINT_INFINITY, derive(spec, BigInteger.ZERO));
    }

    /** The derived point, past the first meeting with the curve. */
    private static ECPoint derive(ECParameterSpec spec, BigInteger d) {
        ECPoint point = EcPublicPoint.of(spec, d);
        return point != null ? point : EcPublicPoint.of(spec, d);
    }
}
