package dev.mtls.material;

import java.math.BigInteger;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Computes d·G, the public point of an EC private key, on a prime-field curve, with JDK types only.
 *
 * <p>Why not the JDK: it has no public API for it, and an ECDSA signature made and verified costs
 * three scalar multiplications (~2 ms a key on JDK 17), which dominated a reload of many rotated
 * identities. Why not Bouncy Castle's multiplier: finding its curve for a JDK parameter spec loads
 * every named curve it knows (~300 classes, ~200 ms in premain). This is a fixed-base comb
 * (Lim–Lee) with a table of {@code 2^WIDTH} points per curve, built once per JVM: about 0.3 ms a
 * key once compiled (Bouncy Castle's: 0.26 ms).
 *
 * <p>Not constant-time, and need not be: it runs once per key load, on the reload thread, not on
 * attacker-chosen input in a loop. Points are Jacobian (X, Y, Z) for x = X/Z², y = Y/Z³.
 */
final class EcBasePointMultiplier {
    /** 2^5 table points: the first key per curve pays ~340 point operations, each later one ~100. */
    private static final int WIDTH = 5;
    /** A JVM sees two or three curves; more (a crafted file?) are computed without a cached table. */
    private static final int MAX_CACHED_CURVES = 8;
    /** Per curve: {@link #FIRST_SEEN}, then the multiplier with its table. */
    private static final Map<CurveKey, Object> CURVES = new ConcurrentHashMap<>();
    private static final Object FIRST_SEEN = new Object();
    private static final BigInteger THREE = BigInteger.valueOf(3);

    private final BigInteger p;
    /** k, the bit length of p, and floor(4^k / p), for {@link #reduce}. */
    private final int bits;
    private final BigInteger barrett;
    private final BigInteger a;
    private final boolean aIsMinusThree;
    private final BigInteger order;
    private final int columns;
    private final BigInteger[] tableX;
    private final BigInteger[] tableY;

    private EcBasePointMultiplier(ECParameterSpec spec, BigInteger p) {
        this.p = p;
        this.bits = p.bitLength();
        this.barrett = BigInteger.ONE.shiftLeft(2 * bits).divide(p);
        this.a = spec.getCurve().getA().mod(p);
        this.aIsMinusThree = a.equals(p.subtract(THREE));
        this.order = spec.getOrder();
        this.columns = (order.bitLength() + WIDTH - 1) / WIDTH;
        // rows[i] = 2^(i·columns)·G; table[j] = the sum of rows[i] for each bit i set in j.
        BigInteger[][] rows = new BigInteger[WIDTH][];
        rows[0] = new BigInteger[] {spec.getGenerator().getAffineX(), spec.getGenerator().getAffineY(),
                BigInteger.ONE};
        for (int i = 1; i < WIDTH; i++) {
            BigInteger[] point = rows[i - 1];
            for (int j = 0; j < columns; j++) {
                point = twice(point);
            }
            rows[i] = point;
        }
        int size = 1 << WIDTH;
        BigInteger[][] table = new BigInteger[size][];
        tableX = new BigInteger[size];
        tableY = new BigInteger[size];
        for (int j = 1; j < size; j++) {
            int lowest = Integer.lowestOneBit(j);
            BigInteger[] row = rows[Integer.numberOfTrailingZeros(j)];
            table[j] = j == lowest ? row : sum(table[j - lowest], row);
            // Affine table entries make every addition in multiply() a cheaper mixed addition.
            BigInteger[] affine = affine(table[j]);
            tableX[j] = affine[0];
            tableY[j] = affine[1];
        }
    }

    /**
     * d·G, or null when the check should rather verify a signature: on a binary-field curve, and
     * the first time a JVM meets a curve. A JVM that loads one key at start is better served by a
     * signature then (about 14 ms cold against 19 ms for building the table cold, and it warms up
     * the very classes its first handshake signs with); the table pays off from the second key on,
     * as in a reload of many rotated identities.
     */
    static ECPoint multiply(ECParameterSpec spec, BigInteger d) {
        if (!(spec.getCurve().getField() instanceof ECFieldFp)) {
            return null;
        }
        BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
        CurveKey key = new CurveKey(p, spec);
        Object known = CURVES.get(key);
        if (known instanceof EcBasePointMultiplier) {
            return ((EcBasePointMultiplier) known).times(d);
        }
        if (known == null && CURVES.size() < MAX_CACHED_CURVES) {
            CURVES.putIfAbsent(key, FIRST_SEEN);
            return null;
        }
        EcBasePointMultiplier multiplier = new EcBasePointMultiplier(spec, p);
        if (known != null) {
            CURVES.put(key, multiplier);
        }
        return multiplier.times(d);
    }

    private ECPoint times(BigInteger scalar) {
        BigInteger d = scalar.mod(order);
        BigInteger[] result = null;
        for (int column = columns - 1; column >= 0; column--) {
            if (result != null) {
                result = twice(result);
            }
            int index = 0;
            for (int row = WIDTH - 1; row >= 0; row--) {
                index = index << 1 | (d.testBit(row * columns + column) ? 1 : 0);
            }
            if (index != 0) {
                result = result == null ? new BigInteger[] {tableX[index], tableY[index], BigInteger.ONE}
                        : plusAffine(result, tableX[index], tableY[index]);
            }
        }
        if (result == null || result[2].signum() == 0) {
            return ECPoint.POINT_INFINITY;
        }
        BigInteger[] affine = affine(result);
        return new ECPoint(affine[0], affine[1]);
    }

    private BigInteger[] affine(BigInteger[] point) {
        BigInteger zInverse = point[2].modInverse(p);
        BigInteger zInverse2 = mul(zInverse, zInverse);
        return new BigInteger[] {mul(point[0], zInverse2), mul(mul(point[1], zInverse2), zInverse)};
    }

    private static BigInteger[] infinity() {
        return new BigInteger[] {BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO};
    }

    /** 2P ("dbl-1998-cmo-2"; with a = -3, as on the NIST curves, M = 3(X - Z²)(X + Z²)). */
    private BigInteger[] twice(BigInteger[] point) {
        BigInteger x = point[0];
        BigInteger y = point[1];
        BigInteger z = point[2];
        if (z.signum() == 0 || y.signum() == 0) {
            return infinity();
        }
        BigInteger yy = mul(y, y);
        BigInteger s = reduce(mul(x, yy).shiftLeft(2));
        BigInteger zz = mul(z, z);
        BigInteger m = aIsMinusThree ? reduce(mul(sub(x, zz), add(x, zz)).multiply(THREE))
                : reduce(mul(x, x).multiply(THREE).add(mul(a, mul(zz, zz))));
        BigInteger x3 = sub(mul(m, m), reduce(s.shiftLeft(1)));
        BigInteger y3 = sub(mul(m, sub(s, x3)), reduce(mul(yy, yy).shiftLeft(3)));
        BigInteger z3 = reduce(mul(y, z).shiftLeft(1));
        return new BigInteger[] {x3, y3, z3};
    }

    /** P + Q for Jacobian P and Q; only used while building the table. */
    private BigInteger[] sum(BigInteger[] first, BigInteger[] second) {
        if (first[2].signum() == 0) {
            return second;
        }
        if (second[2].signum() == 0) {
            return first;
        }
        BigInteger z1z1 = mul(first[2], first[2]);
        BigInteger z2z2 = mul(second[2], second[2]);
        BigInteger u1 = mul(first[0], z2z2);
        BigInteger u2 = mul(second[0], z1z1);
        BigInteger s1 = mul(mul(first[1], z2z2), second[2]);
        BigInteger s2 = mul(mul(second[1], z1z1), first[2]);
        return combine(first, u1, s1, sub(u2, u1), sub(s2, s1), mul(first[2], second[2]));
    }

    /** P + (x, y) for Jacobian P and an affine point. */
    private BigInteger[] plusAffine(BigInteger[] first, BigInteger x, BigInteger y) {
        BigInteger z1z1 = mul(first[2], first[2]);
        BigInteger u2 = mul(x, z1z1);
        BigInteger s2 = mul(mul(y, z1z1), first[2]);
        return combine(first, first[0], first[1], sub(u2, first[0]), sub(s2, first[1]), first[2]);
    }

    /** The shared end of both additions: h = U2 - U1, r = S2 - S1, z = Z1·Z2 (before the factor h). */
    private BigInteger[] combine(BigInteger[] first, BigInteger u1, BigInteger s1, BigInteger h, BigInteger r,
            BigInteger z) {
        if (h.signum() == 0) {
            return r.signum() == 0 ? twice(first) : infinity();
        }
        BigInteger hh = mul(h, h);
        BigInteger hhh = mul(hh, h);
        BigInteger u1hh = mul(u1, hh);
        BigInteger x3 = sub(sub(mul(r, r), hhh), reduce(u1hh.shiftLeft(1)));
        BigInteger y3 = sub(mul(r, sub(u1hh, x3)), mul(s1, hhh));
        BigInteger z3 = mul(h, z);
        return new BigInteger[] {x3, y3, z3};
    }

    private BigInteger mul(BigInteger a, BigInteger b) {
        return reduce(a.multiply(b));
    }

    private BigInteger add(BigInteger a, BigInteger b) {
        BigInteger sum = a.add(b);
        return sum.compareTo(p) >= 0 ? sum.subtract(p) : sum;
    }

    private BigInteger sub(BigInteger a, BigInteger b) {
        BigInteger difference = a.subtract(b);
        return difference.signum() < 0 ? difference.add(p) : difference;
    }

    /**
     * t mod p for 0 <= t < 2^(2k), by Barrett reduction: two multiplications instead of a long
     * division, which is what made BigInteger.mod the bulk of the cost (profiled).
     */
    private BigInteger reduce(BigInteger t) {
        BigInteger quotient = t.shiftRight(bits - 1).multiply(barrett).shiftRight(bits + 1);
        BigInteger remainder = t.subtract(quotient.multiply(p));
        while (remainder.compareTo(p) >= 0) {
            remainder = remainder.subtract(p);
        }
        return remainder;
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
