package dev.mtls.material;

import dev.mtls.profile.IdentitySpec;

/**
 * Reads and validates a client identity (to be implemented).
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
 * leaf's key usage / extended key usage, when present, allow client authentication. Validity
 * in time is not checked here (see {@link Identity#validityProblem}).
 */
public final class IdentityLoader {
    public Identity load(IdentitySpec spec) throws MaterialException {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
