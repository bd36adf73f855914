package dev.mtls.listen;

import dev.mtls.match.HostMatcher;
import dev.mtls.match.HostPattern;
import dev.mtls.profile.AllowEntry;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * Whether a client certificate matches a listener's {@code allow} list: the subject as
 * {@link X500Principal}s compare (RFC 2253 canonical form, so spacing and attribute-name case do
 * not matter), DNS names with the wildcard rules of host patterns, URIs exactly or by the prefix
 * before a trailing {@code *} (SPIFFE IDs), IP addresses in canonical form. An empty list allows
 * every certificate (the trust check alone decides). An entry that does not parse matches
 * nothing: it never widens the list.
 */
public final class AllowList {
    private static final int DNS_NAME = 2;
    private static final int URI = 6;
    private static final int IP_ADDRESS = 7;

    private AllowList() {
    }

    public static boolean allows(List<AllowEntry> entries, X509Certificate certificate) {
        if (entries.isEmpty()) {
            return true;
        }
        for (AllowEntry entry : entries) {
            if (matches(entry, certificate)) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(AllowEntry entry, X509Certificate certificate) {
        try {
            switch (entry.kind()) {
                case SUBJECT:
                    return new X500Principal(entry.pattern()).getName(X500Principal.CANONICAL)
                            .equals(certificate.getSubjectX500Principal().getName(X500Principal.CANONICAL));
                case DNS:
                    return anyName(certificate, DNS_NAME, entry);
                case URI:
                    return anyName(certificate, URI, entry);
                case IP:
                    return anyName(certificate, IP_ADDRESS, entry);
                default:
                    return false;
            }
        } catch (IllegalArgumentException | CertificateParsingException e) {
            return false;
        }
    }

    private static boolean anyName(X509Certificate certificate, int type, AllowEntry entry)
            throws CertificateParsingException {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        if (names == null) {
            return false;
        }
        for (List<?> name : names) {
            if (name.size() >= 2 && Integer.valueOf(type).equals(name.get(0)) && name.get(1) instanceof String
                    && nameMatches(entry, (String) name.get(1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean nameMatches(AllowEntry entry, String name) {
        String pattern = entry.pattern();
        switch (entry.kind()) {
            case DNS:
                // A certificate's own wildcard name is not a host: only exact names are compared.
                return !name.contains("*") && HostMatcher.of(Map.of(HostPattern.parse(pattern), Boolean.TRUE))
                        .match(name, -1).isPresent();
            case URI:
                return pattern.endsWith("*") ? name.startsWith(pattern.substring(0, pattern.length() - 1))
                        : name.equals(pattern);
            case IP:
                return HostPattern.parse(pattern).host().equals(HostPattern.parse(name).host());
            default:
                return false;
        }
    }
}
