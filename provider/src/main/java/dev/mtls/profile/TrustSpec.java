package dev.mtls.profile;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The trust a profile's backends (or a listener's clients) must pass, as written in the file: the
 * CAs, from a PEM bundle or a keystore, and whether the JVM's default CAs are accepted as well; or
 * no CAs at all ({@link #applicationTrust()}: the application's trust decides the chain). Then the
 * checks beyond the chain (docs/PROFILES.md): revocation, the server names one of which the
 * certificate must carry, and SPKI pins one of which a certificate of the chain must match.
 */
public final class TrustSpec {
    private final Path certificates;
    private final Path keyStore;
    private final String storeType;
    private final Secret storePassword;
    private final boolean includeDefault;
    private final RevocationSpec revocation;
    private final List<String> serverNames;
    private final List<String> pins;

    private TrustSpec(Path certificates, Path keyStore, String storeType, Secret storePassword,
            boolean includeDefault, RevocationSpec revocation, List<String> serverNames, List<String> pins) {
        this.certificates = certificates;
        this.keyStore = keyStore;
        this.storeType = storeType;
        this.storePassword = storePassword;
        this.includeDefault = includeDefault;
        this.revocation = revocation;
        this.serverNames = List.copyOf(serverNames);
        this.pins = List.copyOf(pins);
    }

    public static TrustSpec pem(Path certificates, boolean includeDefault) {
        return new TrustSpec(Objects.requireNonNull(certificates), null, null, null, includeDefault, null, List.of(),
                List.of());
    }

    /** {@code storeType} null: guess from name then content; {@code storePassword} may be null. */
    public static TrustSpec keyStore(Path keyStore, String storeType, Secret storePassword, boolean includeDefault) {
        return new TrustSpec(null, Objects.requireNonNull(keyStore), storeType, storePassword, includeDefault, null,
                List.of(), List.of());
    }

    /**
     * No CAs of its own: the application's trust decides the chain, then this block's other
     * checks apply. Only meaningful with {@link #withChecks checks}.
     */
    public static TrustSpec applicationTrust() {
        return new TrustSpec(null, null, null, null, false, null, List.of(), List.of());
    }

    /**
     * This trust with the checks beyond the chain.
     *
     * @param revocation null for no revocation checking
     * @param serverNames as written: DNS names (the hosts' wildcard rules), IP literals, or URIs
     *     (compared exactly); empty for none
     * @param pins as written, {@code sha256/} and the base64 of a SubjectPublicKeyInfo's SHA-256
     *     (the parser has checked the form); empty for none
     */
    public TrustSpec withChecks(RevocationSpec revocation, List<String> serverNames, List<String> pins) {
        return new TrustSpec(certificates, keyStore, storeType, storePassword, includeDefault, revocation,
                serverNames, pins);
    }

    public boolean isKeyStore() {
        return keyStore != null;
    }

    /** Whether the application's trust decides the chain (the block names no CAs). */
    public boolean isApplicationTrust() {
        return certificates == null && keyStore == null;
    }

    /** The revocation checks, or null for none. */
    public RevocationSpec revocation() {
        return revocation;
    }

    /** The names one of which the server's certificate must carry, as written; empty for no such check. */
    public List<String> serverNames() {
        return serverNames;
    }

    /** The pins one of which a certificate of the chain must match, as written ({@code sha256/…}); empty for none. */
    public List<String> pins() {
        return pins;
    }

    public Path certificates() {
        return certificates;
    }

    public Path keyStore() {
        return keyStore;
    }

    public String storeType() {
        return storeType;
    }

    public Secret storePassword() {
        return storePassword;
    }

    public boolean includeDefault() {
        return includeDefault;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof TrustSpec)) {
            return false;
        }
        TrustSpec that = (TrustSpec) other;
        return includeDefault == that.includeDefault && Objects.equals(certificates, that.certificates)
                && Objects.equals(keyStore, that.keyStore) && Objects.equals(storeType, that.storeType)
                && Objects.equals(storePassword, that.storePassword) && Objects.equals(revocation, that.revocation)
                && serverNames.equals(that.serverNames) && pins.equals(that.pins);
    }

    @Override
    public int hashCode() {
        return Objects.hash(certificates, keyStore, storeType, includeDefault, revocation, serverNames, pins);
    }

    @Override
    public String toString() {
        return isKeyStore() ? "keystore " + keyStore
                : isApplicationTrust() ? "the application's trust" : "certificates " + certificates;
    }
}
