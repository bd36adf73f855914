package dev.mtls.revocation;

import dev.mtls.profile.RevocationSpec;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A certificate's status by OCSP: a stapled response the server sent, else a cached answer still
 * before its nextUpdate, else the responder (the certificate's AIA, or the spec's
 * {@code ocspResponder}) with a short timeout, on no lock other handshakes wait on. Responses are
 * verified (signed by the issuer or a delegated responder it certified) before they count.
 */
final class OcspStatus {
    private OcspStatus() {
    }

    /**
     * @param stapled the DER OCSP responses the server stapled, first for the leaf; empty when none
     */
    static Status of(X509Certificate certificate, X509Certificate issuer, RevocationSpec spec, List<byte[]> stapled,
            Instant now) {
        // Filled in by the OCSP work (issue 13).
        return Status.unknown("OCSP", "not checked yet");
    }
}
