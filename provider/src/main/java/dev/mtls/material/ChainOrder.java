package dev.mtls.material;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Puts a certificate chain leaf first, each certificate followed by its issuer.
 *
 * <p>JSSE sends the chain exactly as given, and servers reject a chain whose leaf is not first,
 * while files assembled by hand (cat intermediate.pem leaf.pem) often come in another order. A
 * set that is one unbroken path is reordered; anything else (an unrelated certificate, a
 * missing intermediate between two given ones) is rejected rather than guessed at.
 */
final class ChainOrder {
    private ChainOrder() {
    }

    static List<X509Certificate> leafFirst(Object file, List<X509Certificate> certificates) throws MaterialException {
        // The same certificate twice (a leaf pasted again) adds nothing to the path.
        List<X509Certificate> distinct = new ArrayList<>(new LinkedHashSet<>(certificates));
        if (distinct.isEmpty()) {
            throw new MaterialException(file + ": no certificate found");
        }
        if (isPath(distinct)) {
            return distinct;
        }
        List<X509Certificate> leaves = new ArrayList<>();
        for (X509Certificate candidate : distinct) {
            if (!issuedAnother(candidate, distinct)) {
                leaves.add(candidate);
            }
        }
        if (leaves.isEmpty()) {
            throw broken(file, "every certificate issued another one (a loop)");
        }
        // Several candidates, the file's first one among them and not a root: take it as the leaf,
        // so the message below names the missing link instead of listing candidates.
        X509Certificate first = distinct.get(0);
        X509Certificate leaf = leaves.size() == 1 ? leaves.get(0)
                : leaves.contains(first) && !selfIssued(first) ? first : null;
        if (leaf == null) {
            throw broken(file, leaves.size() + " certificates issued none of the others, so each would be a leaf: "
                    + subjects(leaves));
        }
        List<X509Certificate> ordered = new ArrayList<>();
        List<X509Certificate> remaining = new ArrayList<>(distinct);
        X509Certificate current = leaf;
        while (current != null) {
            ordered.add(current);
            remaining.remove(current);
            current = issuerOf(current, remaining);
        }
        if (!remaining.isEmpty()) {
            X509Certificate last = ordered.get(ordered.size() - 1);
            String verb = remaining.size() == 1 ? " is" : " are";
            throw broken(file, selfIssued(last)
                    ? subjects(remaining) + verb + " not on the path from " + Names.subject(leaf) + " to its root "
                            + Names.subject(last)
                    : "no certificate in the file issued " + Names.subject(last) + " (issuer " + Names.issuer(last)
                            + "), so " + subjects(remaining) + verb + " not part of its path");
        }
        return ordered;
    }

    private static boolean isPath(List<X509Certificate> chain) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            if (!issued(chain.get(i + 1), chain.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean issuedAnother(X509Certificate candidate, List<X509Certificate> certificates) {
        for (X509Certificate other : certificates) {
            if (other != candidate && issued(candidate, other)) {
                return true;
            }
        }
        return false;
    }

    private static X509Certificate issuerOf(X509Certificate certificate, List<X509Certificate> candidates) {
        for (X509Certificate candidate : candidates) {
            if (issued(candidate, certificate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Names and signature both: a CA re-keyed under the same name must not pass for the one that
     * signed the certificate, or the server would see a chain that does not verify.
     */
    private static boolean issued(X509Certificate issuer, X509Certificate subject) {
        if (issuer.equals(subject) || !issuer.getSubjectX500Principal().equals(subject.getIssuerX500Principal())) {
            return false;
        }
        try {
            subject.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean selfIssued(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    private static MaterialException broken(Object file, String why) {
        return new MaterialException(file + ": certificates do not form one chain: " + why);
    }

    private static String subjects(List<X509Certificate> certificates) {
        return certificates.stream().map(Names::subject).collect(Collectors.joining("; "));
    }
}
