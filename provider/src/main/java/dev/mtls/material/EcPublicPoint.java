package dev.mtls.material;

import java.math.BigInteger;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.custom.sec.SecP256R1Curve;
import org.bouncycastle.math.ec.custom.sec.SecP384R1Curve;
import org.bouncycastle.math.ec.custom.sec.SecP521R1Curve;

/**
 * Derives d·G, the public point of an EC private key on a prime-field curve, with Bouncy Castle's
 * fixed-point comb: the multiplier Bouncy Castle itself generates keys with, written for secret
 * scalars (a regular sequence of operations, table look-ups that touch every entry). Nothing here
 * does curve arithmetic of its own.
 *
 * <p>Why not a signature for every key: an ECDSA signature made and verified costs three scalar
 * multiplications (~2 ms a key on JDK 17), which dominated a reload of many rotated identities.
 * Why the curve is built here from the JDK's parameters: Bouncy Castle's own conversion of a JDK
 * parameter spec looks the curve up among every named curve it knows (~300 classes, ~200 ms); here
 * only the one curve class loads.
 */
final class EcPublicPoint {
    /** A JVM sees two or three curves; more (a crafted file?) are computed without a cached table. */
    private static final int MAX_CACHED_CURVES = 8;
    /** Per curve: {@link #FIRST_SEEN}, then its generator (see {@link Comb#generator}). */
    private static final Map<CurveKey, Object> CURVES = new ConcurrentHashMap<>();
    private static final Object FIRST_SEEN = new Object();

    private EcPublicPoint() {
    }

    /**
     * d·G, or null when the check should rather verify a signature: on a binary-field curve, and
     * the first time a JVM meets a curve. A JVM that loads one key at start is better served by a
     * signature then (it costs about what building the comb's table does cold, and it warms up the
     * very classes its first handshake signs with); the table pays off from the second key on, as in
     * a reload of many rotated identities.
     *
     * @throws IllegalArgumentException when the parameters are not a valid curve
     */
    static ECPoint of(ECParameterSpec spec, BigInteger d) {
        if (!(spec.getCurve().getField() instanceof ECFieldFp)) {
            return null;
        }
        CurveKey key = new CurveKey(((ECFieldFp) spec.getCurve().getField()).getP(), spec);
        Object known = CURVES.get(key);
        if (known == null && CURVES.size() < MAX_CACHED_CURVES) {
            CURVES.putIfAbsent(key, FIRST_SEEN);
            return null;
        }
        Object generator = known != null && known != FIRST_SEEN ? known : Comb.generator(key, spec);
        if (known == FIRST_SEEN) {
            CURVES.put(key, generator);
        }
        return Comb.multiply(generator, d.mod(spec.getOrder()));
    }

    /**
     * Every Bouncy Castle type lives here, so that loading this class's outer class (at every EC
     * key load) loads none of them: a JVM that loads one key per curve never needs them.
     */
    private static final class Comb {
        private Comb() {
        }

        /** The curve's generator as a Bouncy Castle point, which carries the comb's table once used. */
        static Object generator(CurveKey key, ECParameterSpec spec) {
            BigInteger cofactor = BigInteger.valueOf(spec.getCofactor());
            ECCurve curve = optimised(key, cofactor);
            if (curve == null) {
                // The validating constructor: the prime is tested once per curve, since the curve is cached.
                curve = new ECCurve.Fp(key.p, key.a, key.b, key.order, cofactor);
            }
            return curve.validatePoint(key.generator.getAffineX(), key.generator.getAffineY());
        }

        /**
         * Bouncy Castle's implementation of the NIST curve of this size with field arithmetic
         * specialised to its prime (six times faster than the general one: it decides how long a
         * reload of many rotated keys takes), used only when it is exactly the curve given; else null.
         * Chosen by size rather than looked up by name, so that only the one curve class loads.
         */
        private static ECCurve optimised(CurveKey key, BigInteger cofactor) {
            ECCurve candidate;
            switch (key.p.bitLength()) {
                case 256:
                    candidate = new SecP256R1Curve();
                    break;
                case 384:
                    candidate = new SecP384R1Curve();
                    break;
                case 521:
                    candidate = new SecP521R1Curve();
                    break;
                default:
                    return null;
            }
            boolean same = candidate.getField().getCharacteristic().equals(key.p)
                    && candidate.getA().toBigInteger().equals(key.a.mod(key.p))
                    && candidate.getB().toBigInteger().equals(key.b.mod(key.p))
                    && key.order.equals(candidate.getOrder()) && cofactor.equals(candidate.getCofactor());
            return same ? candidate : null;
        }

        static ECPoint multiply(Object generator, BigInteger d) {
            org.bouncycastle.math.ec.ECPoint point = new FixedPointCombMultiplier()
                    .multiply((org.bouncycastle.math.ec.ECPoint) generator, d).normalize();
            return point.isInfinity() ? ECPoint.POINT_INFINITY
                    : new ECPoint(point.getAffineXCoord().toBigInteger(), point.getAffineYCoord().toBigInteger());
        }
    }

    /** A curve by value: JDK parameter specs have no equals, and two key objects bring two specs. */
    private static final class CurveKey {
        private final BigInteger p;
        private final BigInteger a;
        private final BigInteger b;
        private final ECPoint generator;
        private final BigInteger order;

        CurveKey(BigInteger p, ECParameterSpec spec) {
            this.p = p;
            this.a = spec.getCurve().getA();
            this.b = spec.getCurve().getB();
            this.generator = spec.getGenerator();
            this.order = spec.getOrder();
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof CurveKey)) {
                return false;
            }
            CurveKey that = (CurveKey) other;
            return p.equals(that.p) && a.equals(that.a) && b.equals(that.b) && generator.equals(that.generator)
                    && order.equals(that.order);
        }

        @Override
        public int hashCode() {
            return p.hashCode() * 31 + generator.hashCode();
        }
    }
}
