package dev.mtls.jsse;

import dev.mtls.match.HostMatch;
import dev.mtls.match.HostMatcher;
import dev.mtls.match.HostPattern;
import dev.mtls.match.IpLiterals;
import dev.mtls.material.Names;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code trust.serverNames}: at least one entry must be in the server's leaf certificate, whatever
 * the application's own host-name checking says and whichever host was dialled. DNS entries are
 * host patterns ({@code payments.internal}, {@code *.payments.internal}) matched against the
 * certificate's DNS names by the hosts' rules, and a wildcard DNS name in the certificate covers an
 * entry by the certificate rules of {@link ServerNameCheck}; IP literals match IP-address names;
 * any other entry with a colon is a URI ({@code spiffe://…}) compared exactly with URI names.
 */
final class ServerNamePolicy {
    static final String CHECK = "serverNames";
    private static final int DNS_NAME = 2;
    private static final int URI = 6;
    private static final int IP_ADDRESS = 7;

    private ServerNamePolicy() {
    }

    /** @return which entry matched which name of the certificate, as the report shows it */
    static String check(List<String> serverNames, X509Certificate leaf) throws PolicyViolation {
        Collection<List<?>> alternatives;
        try {
            alternatives = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new PolicyViolation("the server certificate " + Names.subject(leaf)
                    + " has an unreadable subjectAltName: " + e.getMessage());
        }
        HostMatcher<String> hosts = hostPatterns(serverNames);
        List<String> seen = new ArrayList<>();
        if (alternatives != null) {
            for (List<?> alternative : alternatives) {
                Object type = alternative.get(0);
                Object value = alternative.get(1);
                if (!(type instanceof Integer) || !(value instanceof String)) {
                    continue;
                }
                String name = (String) value;
                seen.add(name);
                String entry = matchingEntry((Integer) type, name, serverNames, hosts);
                if (entry != null) {
                    return "'" + entry + "' matched " + kind((Integer) type) + " name '" + name + "'";
                }
            }
        }
        throw new PolicyViolation("the server certificate " + Names.subject(leaf) + " carries none of "
                + serverNames + (seen.isEmpty() ? " (it has no subjectAltName)" : " (it names " + seen + ")"));
    }

    private static String matchingEntry(int type, String name, List<String> serverNames, HostMatcher<String> hosts) {
        if (type == URI) {
            for (String entry : serverNames) {
                if (isUri(entry) && entry.equals(name)) {
                    return entry;
                }
            }
            return null;
        }
        boolean literal = IpLiterals.isIpLiteral(name);
        if (type == IP_ADDRESS && literal || type == DNS_NAME && !literal) {
            Optional<HostMatch<String>> match = hosts.match(name, -1);
            if (match.isPresent()) {
                return match.get().value();
            }
        }
        if (type == DNS_NAME && name.startsWith("*.")) {
            // The certificate's wildcard covers an entry: valid for that name, as a browser would say.
            for (String entry : serverNames) {
                if (!isUri(entry) && !IpLiterals.isIpLiteral(entry)
                        && (ServerNameCheck.dnsMatches(entry.toLowerCase(Locale.ROOT), name)
                                || entry.equalsIgnoreCase(name))) {
                    return entry;
                }
            }
        }
        return null;
    }

    /**
     * The DNS and IP entries as host patterns. An entry that is not one (the parser refuses those)
     * or that is {@code *} (every name) is left out: it must never make the check pass.
     */
    private static HostMatcher<String> hostPatterns(List<String> serverNames) {
        Map<HostPattern, String> patterns = new LinkedHashMap<>();
        for (String entry : serverNames) {
            if (isUri(entry)) {
                continue;
            }
            try {
                HostPattern pattern = HostPattern.parse(entry);
                if (!pattern.isDefault() && pattern.port() == -1) {
                    patterns.putIfAbsent(pattern, entry);
                }
            } catch (IllegalArgumentException e) {
                // Not a host pattern: matches nothing.
            }
        }
        return HostMatcher.of(patterns);
    }

    /** A URI has a scheme and a colon; an IPv6 literal has colons too, but is no URI. */
    static boolean isUri(String entry) {
        return entry.indexOf(':') > 0 && !IpLiterals.isIpLiteral(entry);
    }

    private static String kind(int type) {
        return type == URI ? "URI" : type == IP_ADDRESS ? "IP" : "DNS";
    }
}
