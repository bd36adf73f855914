package dev.mtls.profile;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a profile's client identity comes from, as written in the file (paths already resolved
 * against the base folder, secrets already resolved): either a PEM certificate chain plus a PEM
 * private key, or a PKCS12/JKS keystore.
 */
public final class IdentitySpec {
    private final Path certificate;
    private final Path key;
    private final Path keyStore;
    private final String storeType;
    private final Secret storePassword;
    private final Secret keyPassword;
    private final String alias;

    private IdentitySpec(Path certificate, Path key, Path keyStore, String storeType, Secret storePassword,
            Secret keyPassword, String alias) {
        this.certificate = certificate;
        this.key = key;
        this.keyStore = keyStore;
        this.storeType = storeType;
        this.storePassword = storePassword;
        this.keyPassword = keyPassword;
        this.alias = alias;
    }

    /** A PEM chain (leaf first) and a PEM key; {@code keyPassword} is null for an unencrypted key. */
    public static IdentitySpec pem(Path certificate, Path key, Secret keyPassword) {
        return new IdentitySpec(Objects.requireNonNull(certificate), Objects.requireNonNull(key), null, null, null,
                keyPassword, null);
    }

    /**
     * A keystore. {@code storeType} null means "guess from the file name, then the content";
     * {@code keyPassword} null means "same as the store password"; {@code alias} null means "the
     * only key entry".
     */
    public static IdentitySpec keyStore(Path keyStore, String storeType, Secret storePassword, Secret keyPassword,
            String alias) {
        return new IdentitySpec(null, null, Objects.requireNonNull(keyStore), storeType, storePassword, keyPassword,
                alias);
    }

    public boolean isKeyStore() {
        return keyStore != null;
    }

    public Path certificate() {
        return certificate;
    }

    public Path key() {
        return key;
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

    public Secret keyPassword() {
        return keyPassword;
    }

    public String alias() {
        return alias;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof IdentitySpec)) {
            return false;
        }
        IdentitySpec that = (IdentitySpec) other;
        return Objects.equals(certificate, that.certificate) && Objects.equals(key, that.key)
                && Objects.equals(keyStore, that.keyStore) && Objects.equals(storeType, that.storeType)
                && Objects.equals(storePassword, that.storePassword) && Objects.equals(keyPassword, that.keyPassword)
                && Objects.equals(alias, that.alias);
    }

    @Override
    public int hashCode() {
        return Objects.hash(certificate, key, keyStore, storeType, alias);
    }

    @Override
    public String toString() {
        return isKeyStore() ? "keystore " + keyStore + (alias == null ? "" : " alias " + alias)
                : "certificate " + certificate + ", key " + key;
    }
}
