package dev.mtls.material;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A validated client identity: a private key and its certificate chain, leaf first. */
public final class Identity {
    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    public Identity(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
        this.chain = List.copyOf(chain);
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** Leaf first, then intermediates. */
    public List<X509Certificate> chain() {
        return chain;
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /**
     * The key's JSSE family: {@code RSA}, {@code RSASSA-PSS}, {@code EC}, {@code EdDSA}
     * (Ed25519 and Ed448 keys report {@code EdDSA}, {@code Ed25519} or {@code Ed448} depending on
     * the provider; all are normalised to {@code EdDSA}).
     */
    public String keyType() {
        String algorithm = privateKey.getAlgorithm();
        switch (algorithm) {
            case "Ed25519":
            case "Ed448":
            case "EdDSA":
                return "EdDSA";
            case "ECDSA":
                return "EC";
            default:
                return algorithm;
        }
    }

    /** Why the leaf cannot be used at {@code now} (not yet valid, expired), or empty when it can. */
    public Optional<String> validityProblem(Instant now) {
        Validity validity = Validity.of(leaf(), now, Duration.ZERO);
        return validity.usable() ? Optional.empty() : Optional.of(validity.sentence());
    }
}
