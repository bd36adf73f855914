package dev.mtls.revocation;

import dev.mtls.log.MtlsLog;
import dev.mtls.material.Names;
import dev.mtls.material.RevocationList;
import dev.mtls.profile.RevocationSpec;
import java.lang.System.Logger.Level;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The revocation check of one handshake, for a profile (the server's chain) or a listener (the
 * client's): the leaf, or with {@code scope: chain} every certificate below the anchor. For each,
 * a CRL that covers it decides, else OCSP when asked for; revoked fails the handshake, unknown
 * fails it under {@code onUnknown: fail} and is let through with a warning (once per owner and
 * certificate) under {@code allow}. Every failure names the owner and the check.
 */
public final class RevocationCheck {
    private RevocationCheck() {
    }

    /**
     * @param owner as messages name it: {@code profile 'name'} or {@code listener 'name'}
     * @param chain the peer's chain, leaf first, already validated
     * @param anchors the CAs the chain was validated against (where the last certificate's issuer is found)
     * @param stapled DER OCSP responses the peer stapled; empty when none
     * @return one status per certificate checked, for {@code probe}
     * @throws RevocationRefusal "mtls-agent: profile 'x': revocation check: …" when refused
     */
    public static List<Status> check(String owner, RevocationSpec spec, List<RevocationList> crls,
            X509Certificate[] chain, List<X509Certificate> anchors, List<byte[]> stapled, Instant now)
            throws RevocationRefusal {
        List<Status> statuses = new ArrayList<>();
        int last = spec.scope() == RevocationSpec.Scope.CHAIN ? chain.length : 1;
        for (int i = 0; i < last; i++) {
            X509Certificate certificate = chain[i];
            X509Certificate issuer = issuerOf(certificate, chain, i, anchors);
            if (issuer == null) {
                if (i == 0) {
                    statuses.add(decide(owner, spec, certificate,
                            Status.unknown("chain", "the issuer of the certificate is not in the chain or the anchors")));
                }
                // A self-signed anchor the peer sent along: nothing to check above it.
                break;
            }
            if (issuer.equals(certificate)) {
                break;
            }
            Status status = crls.isEmpty() ? null : CrlStatus.of(certificate, issuer, crls, now);
            if ((status == null || status.state() == Status.State.UNKNOWN) && spec.ocsp()) {
                status = OcspStatus.of(certificate, issuer, spec, i == 0 ? stapled : List.of(), now);
            }
            if (status == null) {
                status = Status.unknown("CRL", "no CRL covers it");
            }
            statuses.add(decide(owner, spec, certificate, status));
        }
        return statuses;
    }

    private static Status decide(String owner, RevocationSpec spec, X509Certificate certificate, Status status)
            throws RevocationRefusal {
        if (status.state() == Status.State.REVOKED) {
            throw new RevocationRefusal(owner, "the certificate " + subject(certificate) + " is revoked ("
                    + status.source() + (status.detail().isEmpty() ? "" : ", " + status.detail()) + ")", status);
        }
        if (status.state() == Status.State.UNKNOWN) {
            String text = "revocation status of " + subject(certificate) + " is unknown (" + status.source()
                    + (status.detail().isEmpty() ? "" : ": " + status.detail()) + ")";
            if (spec.onUnknown() == RevocationSpec.OnUnknown.FAIL) {
                throw new RevocationRefusal(owner, text + "; refused (onUnknown: fail)", status);
            }
            MtlsLog.once(owner + '\n' + certificate.getSerialNumber() + '\n' + status.source(), Level.WARNING,
                    owner + ": " + text + "; let through (onUnknown: allow)");
        }
        return status;
    }

    /** The next certificate of the chain when it signed this one by name, else an anchor whose subject is the issuer. */
    private static X509Certificate issuerOf(X509Certificate certificate, X509Certificate[] chain, int index,
            List<X509Certificate> anchors) {
        if (index + 1 < chain.length
                && chain[index + 1].getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return chain[index + 1];
        }
        if (certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return certificate;
        }
        for (X509Certificate anchor : anchors) {
            if (anchor.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                return anchor;
            }
        }
        return null;
    }

    private static String subject(X509Certificate certificate) {
        return Names.subject(certificate);
    }
}
