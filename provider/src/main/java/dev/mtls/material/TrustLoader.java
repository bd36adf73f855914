package dev.mtls.material;

import dev.mtls.profile.TrustSpec;

/**
 * Reads a profile's trust anchors (to be implemented): every CERTIFICATE in a PEM bundle, or
 * every certificate entry (and the certificate of every key entry) of a PKCS12/JKS keystore; a
 * store password may be absent for reading certificates. An empty set is a
 * {@link MaterialException}.
 */
public final class TrustLoader {
    public TrustAnchors load(TrustSpec spec) throws MaterialException {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
