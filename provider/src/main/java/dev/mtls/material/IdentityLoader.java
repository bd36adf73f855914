package dev.mtls.material;

import dev.mtls.profile.IdentitySpec;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Reads and validates an identity: a profile's client identity ({@link #load}) or a listener's
 * server identity ({@link #loadServer}).
 *
 * <p>PEM: certificate chain (one or more CERTIFICATE blocks); private key as PKCS#8 ("PRIVATE
 * KEY"), encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY", also legacy
 * OpenSSL-encrypted with DEK-Info), SEC1 ("EC PRIVATE KEY", "EC PARAMETERS" blocks skipped),
 * Ed25519. Keystores: PKCS12 and JKS, store and key passwords, alias choice (no alias and
 * exactly one key entry: that one; several: an error listing the aliases).
 *
 * <p>Validation, each failure a {@link MaterialException} naming the file: the key belongs to the
 * leaf certificate (public keys compared); the chain is leaf first — a chain given in another
 * order is reordered when it forms one unbroken path, otherwise rejected; an empty chain; the
 * leaf's key usage / extended key usage, when present, allow client authentication (for a server
 * identity: a TLS server, serverAuth and digitalSignature or keyEncipherment). Validity
 * in time is not checked here (see {@link Identity#validityProblem}).
 *
 * <p>PKCS#11: the key stays in the token ({@link TokenIdentity}, {@link Pkcs11Tokens}).
 */
public final class IdentityLoader {
    public Identity load(IdentitySpec spec) throws MaterialException {
        return read(spec, false);
    }

    /** A listener's identity: as {@link #load}, its leaf checked for use by a TLS server. */
    public Identity loadServer(IdentitySpec spec) throws MaterialException {
        return read(spec, true);
    }

    private static Identity read(IdentitySpec spec, boolean server) throws MaterialException {
        Objects.requireNonNull(spec, "spec");
        if (spec.isPkcs11()) {
            return TokenIdentity.read(spec, server);
        }
        if (spec.isKeyStore()) {
            Path file = spec.keyStore();
            KeyStore store = KeyStoreReader.read(file, spec.storeType(), spec.storePassword());
            String alias = KeyStoreEntries.chooseAlias(file, store, spec.alias());
            PrivateKey key = KeyStoreEntries.privateKey(file, store, alias, spec.keyPassword(), spec.storePassword());
            return validated(file, file, key, KeyStoreEntries.chain(file, store, alias), server);
        }
        List<X509Certificate> chain = PemReader.readCertificates(spec.certificate());
        PrivateKey key = PemReader.readPrivateKey(spec.key(), spec.keyPassword());
        return validated(spec.certificate(), spec.key(), key, chain, server);
    }

    private static Identity validated(Path chainFile, Path keyFile, PrivateKey key, List<X509Certificate> chain,
            boolean server) throws MaterialException {
        List<X509Certificate> ordered = ChainOrder.leafFirst(chainFile, chain);
        KeyPairCheck.check(keyFile, key, ordered.get(0));
        if (server) {
            KeyPurposeCheck.server(chainFile, ordered.get(0));
        } else {
            KeyPurposeCheck.client(chainFile, ordered.get(0));
        }
        return new Identity(key, ordered);
    }
}
