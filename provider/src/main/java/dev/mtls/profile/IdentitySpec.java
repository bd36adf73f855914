package dev.mtls.profile;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a profile's client identity comes from, as written in the file (paths already resolved
 * against the base folder, secrets already resolved): a PEM certificate chain plus a PEM private
 * key, a PKCS12/JKS keystore, or a key in a PKCS#11 token ({@link Pkcs11Key}).
 */
public final class IdentitySpec {
    private final Path certificate;
    private final Path key;
    private final Path keyStore;
    private final String storeType;
    private final Secret storePassword;
    private final Secret keyPassword;
    private final String alias;
    private final Pkcs11Key pkcs11;

    private IdentitySpec(Path certificate, Path key, Path keyStore, String storeType, Secret storePassword,
            Secret keyPassword, String alias, Pkcs11Key pkcs11) {
        this.certificate = certificate;
        this.key = key;
        this.keyStore = keyStore;
        this.storeType = storeType;
        this.storePassword = storePassword;
        this.keyPassword = keyPassword;
        this.alias = alias;
        this.pkcs11 = pkcs11;
    }

    /** A PEM chain (leaf first) and a PEM key; {@code keyPassword} is null for an unencrypted key. */
    public static IdentitySpec pem(Path certificate, Path key, Secret keyPassword) {
        return new IdentitySpec(Objects.requireNonNull(certificate), Objects.requireNonNull(key), null, null, null,
                keyPassword, null, null);
    }

    /**
     * A keystore. {@code storeType} null means "guess from the file name, then the content";
     * {@code keyPassword} null means "same as the store password"; {@code alias} null means "the
     * only key entry".
     */
    public static IdentitySpec keyStore(Path keyStore, String storeType, Secret storePassword, Secret keyPassword,
            String alias) {
        return new IdentitySpec(null, null, Objects.requireNonNull(keyStore), storeType, storePassword, keyPassword,
                alias, null);
    }

    /**
     * A key in a PKCS#11 token; {@code certificate} null means "the chain the token holds under the
     * key's label", else a PEM chain file used instead (intermediates, or a newer certificate).
     */
    public static IdentitySpec pkcs11(Pkcs11Key key, Path certificate) {
        return new IdentitySpec(certificate, null, null, null, null, null, null, Objects.requireNonNull(key));
    }

    public boolean isKeyStore() {
        return keyStore != null;
    }

    public boolean isPkcs11() {
        return pkcs11 != null;
    }

    /** The token key, or null for a file identity. */
    public Pkcs11Key pkcs11() {
        return pkcs11;
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
                && Objects.equals(alias, that.alias) && Objects.equals(pkcs11, that.pkcs11);
    }

    @Override
    public int hashCode() {
        return Objects.hash(certificate, key, keyStore, storeType, alias, pkcs11);
    }

    @Override
    public String toString() {
        if (isPkcs11()) {
            return pkcs11 + (certificate == null ? "" : ", certificate " + certificate);
        }
        return isKeyStore() ? "keystore " + keyStore + (alias == null ? "" : " alias " + alias)
                : "certificate " + certificate + ", key " + key;
    }
}
