package dev.mtls.revocation;

import dev.mtls.material.Names;
import dev.mtls.material.RevocationList;
import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A certificate's status by the loaded CRLs: the CRLs whose issuer name is the certificate's
 * issuer and whose signature verifies with the issuer's key (remembered per CRL and issuer, see
 * {@link RevocationList#isSignedBy}) cover it. Revoked in any of them is revoked (a revocation is
 * not undone by the CRL growing old); else good when one of them is current, unknown when all are
 * past their nextUpdate, and unknown when none covers it. Delta CRLs and indirect CRLs (entries
 * for another issuer's certificates) are not read: such a CRL covers only its own issuer's.
 */
final class CrlStatus {
    private CrlStatus() {
    }

    /** @param issuer the certificate that issued {@code certificate} (from the chain or the anchors) */
    static Status of(X509Certificate certificate, X509Certificate issuer, List<RevocationList> crls, Instant now) {
        RevocationList current = null;
        RevocationList stale = null;
        RevocationList unsigned = null;
        for (int i = 0; i < crls.size(); i++) {
            RevocationList list = crls.get(i);
            X509CRL crl = list.crl();
            if (!crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())) {
                continue;
            }
            if (!list.isSignedBy(issuer)) {
                unsigned = list;
                continue;
            }
            X509CRLEntry entry = crl.getRevokedCertificate(certificate);
            if (entry != null) {
                return new Status(Status.State.REVOKED, source(list), revoked(entry));
            }
            Date nextUpdate = crl.getNextUpdate();
            if (nextUpdate == null || !nextUpdate.toInstant().isBefore(now)) {
                current = current == null ? list : current;
            } else {
                stale = stale == null ? list : stale;
            }
        }
        if (current != null) {
            return new Status(Status.State.GOOD, source(current), "");
        }
        if (stale != null) {
            return Status.unknown(source(stale), "the CRL is past its nextUpdate " + stale.crl().getNextUpdate()
                    .toInstant());
        }
        if (unsigned != null) {
            return Status.unknown(source(unsigned), "the CRL's signature does not verify with the key of its issuer "
                    + Names.subject(issuer));
        }
        return Status.unknown("CRL", "no CRL covers it (none from its issuer " + Names.issuer(certificate) + ")");
    }

    private static String source(RevocationList list) {
        return "CRL " + list.file();
    }

    private static String revoked(X509CRLEntry entry) {
        String text = "revoked on " + entry.getRevocationDate().toInstant();
        CRLReason reason = entry.getRevocationReason();
        return reason == null ? text : text + ", reason " + reasonName(reason);
    }

    /** As RFC 5280 spells the reason codes (keyCompromise, cACompromise, …). */
    static String reasonName(CRLReason reason) {
        switch (reason) {
            case CA_COMPROMISE:
                return "cACompromise";
            case AA_COMPROMISE:
                return "aACompromise";
            default:
                String[] words = reason.name().toLowerCase(java.util.Locale.ROOT).split("_");
                StringBuilder name = new StringBuilder(words[0]);
                for (int i = 1; i < words.length; i++) {
                    name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i], 1, words[i].length());
                }
                return name.toString();
        }
    }
}
