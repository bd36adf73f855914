package dev.mtls.jsse;

import dev.mtls.material.Identity;
import java.lang.reflect.Method;
import java.security.AlgorithmParameters;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.Locale;
import java.util.Map;

/**
 * Whether an identity can answer a key-manager request. SunJSSE asks once with every family it
 * accepts ({@code "EC"}, {@code "RSA"}, {@code "RSASSA-PSS"}, {@code "EdDSA"}); Bouncy Castle asks
 * once per signature scheme and names the curve ({@code "EC/secp256r1"}, {@code "Ed25519"}). An
 * identity returned for a type it cannot sign with fails the handshake later with a worse error,
 * so a curve that is named must be the key's curve.
 */
final class KeyTypes {
    /** The named curves TLS signature schemes use, by the object identifier SunEC reports. */
    private static final Map<String, String> CURVES_BY_OID = Map.of(
            "1.2.840.10045.3.1.7", "secp256r1",
            "1.3.132.0.34", "secp384r1",
            "1.3.132.0.35", "secp521r1",
            "1.3.36.3.3.2.8.1.1.7", "brainpoolp256r1",
            "1.3.36.3.3.2.8.1.1.11", "brainpoolp384r1",
            "1.3.36.3.3.2.8.1.1.13", "brainpoolp512r1");

    private KeyTypes() {
    }

    /** True when one of the requested key types is one the identity can sign with. */
    static boolean fits(Identity identity, String[] requested) {
        if (requested == null) {
            return false;
        }
        String family = identity.keyType();
        for (String type : requested) {
            if (type != null && family.equals(family(type)) && curveFits(type, identity.leaf().getPublicKey())) {
                return true;
            }
        }
        return false;
    }

    /** {@code "EC/secp256r1"} → {@code "EC"}; {@code "Ed25519"}, {@code "Ed448"} → {@code "EdDSA"}. */
    static String family(String keyType) {
        int slash = keyType.indexOf('/');
        String base = slash < 0 ? keyType : keyType.substring(0, slash);
        switch (base) {
            case "Ed25519":
            case "Ed448":
                return "EdDSA";
            case "ECDSA":
                return "EC";
            default:
                return base;
        }
    }

    /** The curve a request names, lower case, or null when it names none. */
    private static String requestedCurve(String keyType) {
        int slash = keyType.indexOf('/');
        if (slash >= 0) {
            return keyType.substring(slash + 1).toLowerCase(Locale.ROOT);
        }
        return keyType.startsWith("Ed") && !keyType.equals("EdDSA") ? keyType.toLowerCase(Locale.ROOT) : null;
    }

    private static boolean curveFits(String keyType, PublicKey key) {
        String wanted = requestedCurve(keyType);
        if (wanted == null) {
            return true;
        }
        String actual = curve(key);
        // A curve we cannot name is left to the TLS stack rather than refused.
        return actual == null || actual.equals(wanted);
    }

    /** The key's named curve, lower case, or null when it cannot be told. */
    static String curve(PublicKey key) {
        try {
            if (key instanceof ECPublicKey) {
                AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                parameters.init(((ECPublicKey) key).getParams());
                String name = parameters.getParameterSpec(ECGenParameterSpec.class).getName();
                String known = CURVES_BY_OID.get(name);
                return known != null ? known : name.toLowerCase(Locale.ROOT);
            }
            // java.security.interfaces.EdECKey is JDK 15+; this code is compiled for 11.
            Class<?> edKey = Class.forName("java.security.interfaces.EdECKey");
            if (edKey.isInstance(key)) {
                Method getParams = edKey.getMethod("getParams");
                return ((NamedParameterSpec) getParams.invoke(key)).getName().toLowerCase(Locale.ROOT);
            }
        } catch (ReflectiveOperationException | java.security.GeneralSecurityException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
