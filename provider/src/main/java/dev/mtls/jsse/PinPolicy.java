package dev.mtls.jsse;

import dev.mtls.material.Names;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code trust.pins}: the SHA-256 of the SubjectPublicKeyInfo of a certificate the server sent, or
 * of the anchor that validated its chain, must be one of the pins ({@code sha256/} and base64, as
 * HPKP and Envoy write them). One match is enough. A pin survives a renewal that keeps the key.
 */
final class PinPolicy {
    static final String CHECK = "pins";
    static final String PREFIX = "sha256/";

    private PinPolicy() {
    }

    /**
     * @param anchors where the anchor is looked for: the profile's CAs, or the application trust
     *     manager's accepted issuers
     * @return which pin matched which certificate, as the report shows it
     */
    static String check(List<String> pins, X509Certificate[] chain, List<X509Certificate> anchors)
            throws PolicyViolation {
        List<X509Certificate> candidates = new ArrayList<>(chain.length + 1);
        for (X509Certificate certificate : chain) {
            candidates.add(certificate);
        }
        X509Certificate anchor = chain.length == 0 ? null : anchorOf(chain[chain.length - 1], anchors);
        if (anchor != null) {
            candidates.add(anchor);
        }
        MessageDigest sha256 = sha256();
        List<String> seen = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            X509Certificate certificate = candidates.get(i);
            byte[] digest = sha256.digest(certificate.getPublicKey().getEncoded());
            String pin = PREFIX + Base64.getEncoder().encodeToString(digest);
            String which = (i == chain.length ? "the anchor " : i == 0 ? "the leaf " : "")
                    + Names.subject(certificate);
            for (String expected : pins) {
                if (matches(expected, digest)) {
                    return "'" + expected + "' matched " + which;
                }
            }
            seen.add(pin + " (" + which + ")");
        }
        throw new PolicyViolation("none of the " + pins.size() + " pins matches a certificate of the server's chain"
                + (anchor == null ? "" : " or its anchor") + "; they have " + seen);
    }

    private static boolean matches(String expected, byte[] digest) {
        if (!expected.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        try {
            return MessageDigest.isEqual(Base64.getDecoder().decode(expected.substring(PREFIX.length())), digest);
        } catch (IllegalArgumentException e) {
            // Not base64 (the parser refuses such pins): it matches nothing.
            return false;
        }
    }

    /**
     * The anchor that signed the last certificate the server sent: a CA with that issuer's name
     * whose key verifies the signature. Null when the chain ends in a self-signed certificate (it
     * is then its own anchor, already among those sent) or no CA signed it.
     */
    static X509Certificate anchorOf(X509Certificate last, List<X509Certificate> anchors) {
        if (last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
            return null;
        }
        for (X509Certificate anchor : anchors) {
            if (anchor.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
                try {
                    last.verify(anchor.getPublicKey());
                    return anchor;
                } catch (GeneralSecurityException e) {
                    // Same name, other key (a renewed or rogue CA): look further.
                }
            }
        }
        return null;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
