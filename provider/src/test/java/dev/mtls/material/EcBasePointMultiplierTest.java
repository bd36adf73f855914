package dev.mtls.material;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EcBasePointMultiplierTest {

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void derivesThePublicPointOfKeysTheJdkGenerated(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        for (int i = 0; i < 20; i++) {
            KeyPair pair = generator.generateKeyPair();
            ECPrivateKey key = (ECPrivateKey) pair.getPrivate();
            assertTrue(EcBasePointMultiplier.supports(key.getParams()));
            assertEquals(((ECPublicKey) pair.getPublic()).getW(),
                    EcBasePointMultiplier.multiply(key.getParams(), key.getS()), curve + " key " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1"})
    void handlesTheEdgesOfTheScalarRange(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        ECParameterSpec spec = ((ECPrivateKey) generator.generateKeyPair().getPrivate()).getParams();
        ECPoint g = spec.getGenerator();
        BigInteger n = spec.getOrder();

        assertEquals(g, EcBasePointMultiplier.multiply(spec, BigInteger.ONE));
        assertEquals(g, EcBasePointMultiplier.multiply(spec, n.add(BigInteger.ONE)));
        assertEquals(ECPoint.POINT_INFINITY, EcBasePointMultiplier.multiply(spec, n));
        assertEquals(ECPoint.POINT_INFINITY, EcBasePointMultiplier.multiply(spec, BigInteger.ZERO));
        // (n-1)·G = -G: the same x, the other y.
        ECPoint minusG = EcBasePointMultiplier.multiply(spec, n.subtract(BigInteger.ONE));
        assertEquals(g.getAffineX(), minusG.getAffineX());
        assertNotEquals(g.getAffineY(), minusG.getAffineY());
        // 2·G and 3·G go through the doubling and the table's sums.
        ECPoint twoG = EcBasePointMultiplier.multiply(spec, BigInteger.TWO);
        assertNotEquals(g, twoG);
        assertEquals(EcBasePointMultiplier.multiply(spec, n.subtract(BigInteger.TWO)).getAffineX(), twoG.getAffineX());
    }
}
