package dev.mtls.profile;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The CAs a profile's backends must chain to, as written in the file: a PEM bundle or a
 * keystore, and whether the JVM's default CAs are accepted as well.
 */
public final class TrustSpec {
    private final Path certificates;
    private final Path keyStore;
    private final String storeType;
    private final Secret storePassword;
    private final boolean includeDefault;

    private TrustSpec(Path certificates, Path keyStore, String storeType, Secret storePassword,
            boolean includeDefault) {
        this.certificates = certificates;
        this.keyStore = keyStore;
        this.storeType = storeType;
        this.storePassword = storePassword;
        this.includeDefault = includeDefault;
    }

    public static TrustSpec pem(Path certificates, boolean includeDefault) {
        return new TrustSpec(Objects.requireNonNull(certificates), null, null, null, includeDefault);
    }

    /** {@code storeType} null: guess from name then content; {@code storePassword} may be null. */
    public static TrustSpec keyStore(Path keyStore, String storeType, Secret storePassword, boolean includeDefault) {
        return new TrustSpec(null, Objects.requireNonNull(keyStore), storeType, storePassword, includeDefault);
    }

    public boolean isKeyStore() {
        return keyStore != null;
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
                && Objects.equals(storePassword, that.storePassword);
    }

    @Override
    public int hashCode() {
        return Objects.hash(certificates, keyStore, storeType, includeDefault);
    }

    @Override
    public String toString() {
        return isKeyStore() ? "keystore " + keyStore : "certificates " + certificates;
    }
}
