package dev.mtls.jsse;

import dev.mtls.material.Names;
import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks that a server certificate names the host we connected to, for profiles with
 * {@code verifyHostname: true}. RFC 6125 as browsers apply it: subjectAltName only (dNSName for
 * names, iPAddress for address literals), no fallback to the subject CN, and a wildcard only as
 * the whole left-most label, matching exactly one label, under at least two more labels
 * ({@code *.example.com}, never {@code *.com} or {@code f*.example.com}).
 */
final class ServerNameCheck {
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private ServerNameCheck() {
    }

    static void verify(X509Certificate leaf, String host, String profile) throws CertificateException {
        List<String> names = new ArrayList<>();
        if (matches(leaf, host, names)) {
            return;
        }
        throw new CertificateException("mtls-agent: profile '" + profile + "' verifies host names, and the server"
                + " certificate " + Names.subject(leaf) + " does not name '" + host + "'"
                + (names.isEmpty() ? " (it has no subjectAltName)" : " (it names " + names + ")"));
    }

    /** @param seen collects the certificate's names, for the error message */
    static boolean matches(X509Certificate leaf, String host, List<String> seen) throws CertificateParsingException {
        Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
        if (alternatives == null || host == null) {
            return false;
        }
        String literal = addressLiteral(host);
        InetAddress address = literal == null ? null : parseLiteral(literal);
        String name = address == null ? dnsName(host) : null;
        boolean match = false;
        for (List<?> entry : alternatives) {
            Object type = entry.get(0);
            Object value = entry.get(1);
            if (!(type instanceof Integer) || !(value instanceof String)) {
                continue;
            }
            seen.add((String) value);
            if (address != null && (Integer) type == IP_ADDRESS) {
                match |= address.equals(parseLiteral((String) value));
            } else if (name != null && (Integer) type == DNS_NAME) {
                match |= dnsMatches(name, (String) value);
            }
        }
        return match;
    }

    /** The host as an address literal without brackets, or null when it is a name. */
    private static String addressLiteral(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return bare.indexOf(':') >= 0 || IPV4.matcher(bare).matches() ? bare : null;
    }

    /**
     * Parses an address literal without ever consulting the name service: IPv4 by hand (the JDK
     * would look up an out-of-range "999.1.1.1" as a name), IPv6 by the JDK, which refuses rather
     * than resolves anything containing a colon.
     */
    private static InetAddress parseLiteral(String literal) {
        try {
            if (literal.indexOf(':') >= 0) {
                return InetAddress.getByName(literal);
            }
            if (!IPV4.matcher(literal).matches()) {
                return null;
            }
            String[] parts = literal.split("\\.");
            byte[] address = new byte[4];
            for (int i = 0; i < 4; i++) {
                int value = Integer.parseInt(parts[i]);
                if (value > 255) {
                    return null;
                }
                address[i] = (byte) value;
            }
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    private static String dnsName(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        try {
            return IDN.toASCII(name).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return name.toLowerCase(Locale.ROOT);
        }
    }

    static boolean dnsMatches(String host, String presented) {
        String pattern = dnsName(presented);
        if (!pattern.startsWith("*.")) {
            return !pattern.isEmpty() && pattern.indexOf('*') < 0 && pattern.equals(host);
        }
        String suffix = pattern.substring(1);
        if (suffix.indexOf('*') >= 0 || suffix.indexOf('.', 1) < 0) {
            return false;
        }
        int firstDot = host.indexOf('.');
        return firstDot > 0 && host.substring(firstDot).equals(suffix);
    }
}
