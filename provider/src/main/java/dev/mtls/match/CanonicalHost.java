package dev.mtls.match;

import java.net.IDN;
import java.util.Locale;

/**
 * The one normalisation that patterns and looked-up hosts both go through, so that they can only
 * ever be compared in the same form: lower case, no trailing dot, IDN as ASCII ({@code xn--}),
 * IPv4 as four plain decimals, IPv6 in RFC 5952 form without brackets. Purely textual: no DNS.
 */
final class CanonicalHost {
    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;
    // Generous bound checked before any work, so a hostile host string costs nothing to reject.
    private static final int MAX_INPUT = 1024;

    private CanonicalHost() {
    }

    /** @return the canonical host, or null when {@code host} is not a host name or IP literal */
    static String forLookup(String host) {
        try {
            return of(host);
        } catch (InvalidHostException e) {
            return null;
        }
    }

    /** @throws InvalidHostException with the reason, phrased for an operator */
    static String of(String host) throws InvalidHostException {
        if (host.isEmpty()) {
            throw new InvalidHostException("the host is empty");
        }
        if (host.length() > MAX_INPUT) {
            throw new InvalidHostException("the host is longer than " + MAX_NAME + " characters");
        }
        if (host.charAt(0) == '[') {
            if (host.charAt(host.length() - 1) != ']') {
                throw new InvalidHostException("'[' without a closing ']'");
            }
            String inner = host.substring(1, host.length() - 1);
            if (inner.indexOf(':') < 0) {
                throw new InvalidHostException("brackets are only for IPv6 addresses, as in [2001:db8::1]:8443");
            }
            return ipv6(inner, "");
        }
        if (host.indexOf(':') >= 0) {
            return ipv6(host, "; to give an IPv6 address a port, put it in brackets, as in [2001:db8::1]:8443");
        }
        return name(host);
    }

    /** True for a canonical IPv4 or IPv6 literal; wildcards never apply to those. */
    static boolean isIpLiteral(String canonical) {
        if (canonical.indexOf(':') >= 0) {
            return true;
        }
        // A canonical name never ends in an all-digit label (name() only lets IPv4 do that).
        char last = canonical.charAt(canonical.length() - 1);
        return last >= '0' && last <= '9' && allDigits(canonical.substring(canonical.lastIndexOf('.') + 1));
    }

    /** @return the four octets of a dotted IPv4 literal, or null if it is not one */
    static int[] ipv4Octets(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int[] octets = new int[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            // Leading zeros are refused: some resolvers read 010 as octal 8, others as decimal 10.
            if (part.isEmpty() || part.length() > 3 || !allDigits(part) || part.length() > 1 && part.charAt(0) == '0') {
                return null;
            }
            octets[i] = Integer.parseInt(part);
            if (octets[i] > 255) {
                return null;
            }
        }
        return octets;
    }

    private static String ipv6(String text, String hint) throws InvalidHostException {
        if (text.indexOf('%') >= 0) {
            // fe80::1%eth0 and fe80::1%eth1 may be different machines; a pattern cannot say which.
            throw new InvalidHostException("IPv6 zone ids ('%...') are not supported");
        }
        String canonical = Ipv6Literal.canonical(text);
        if (canonical == null) {
            throw new InvalidHostException("'" + text + "' is not a valid IPv6 address" + hint);
        }
        return canonical;
    }

    private static String name(String host) throws InvalidHostException {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        boolean ascii = isAscii(name);
        if (!ascii) {
            try {
                name = IDN.toASCII(name);
            } catch (IllegalArgumentException e) {
                throw new InvalidHostException("'" + host + "' is not a valid internationalised domain name: "
                        + e.getMessage());
            }
        }
        name = name.toLowerCase(Locale.ROOT);
        checkLabels(name);
        String lastLabel = name.substring(name.lastIndexOf('.') + 1);
        if (allDigits(lastLabel)) {
            // No top-level domain is all digits, so this was meant as an IPv4 address. A name that
            // only became digits through IDN (full-width digits) is refused: the JDK would look it
            // up in DNS rather than connect to that address.
            if (!ascii || ipv4Octets(name) == null) {
                throw new InvalidHostException("'" + host
                        + "' is not a valid IPv4 address: it needs four numbers 0-255 without leading zeros");
            }
        }
        return name;
    }

    private static void checkLabels(String name) throws InvalidHostException {
        if (name.isEmpty()) {
            throw new InvalidHostException("the host is empty");
        }
        if (name.length() > MAX_NAME) {
            throw new InvalidHostException("the host is longer than " + MAX_NAME + " characters");
        }
        int labelStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            char c = i < name.length() ? name.charAt(i) : '.';
            if (c == '.') {
                if (i == labelStart) {
                    throw new InvalidHostException("it has an empty label (a leading dot or two dots in a row)");
                }
                if (i - labelStart > MAX_LABEL) {
                    throw new InvalidHostException("label '" + name.substring(labelStart, i) + "' is longer than "
                            + MAX_LABEL + " characters");
                }
                labelStart = i + 1;
            } else if (Character.isWhitespace(c)) {
                throw new InvalidHostException("it contains whitespace");
            } else if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                // '_' is not legal in DNS host names but is common in Docker and internal names.
                throw new InvalidHostException("'" + c + "' is not allowed in a host name");
            }
        }
    }

    private static boolean allDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Cheap by design: thrown for every garbage host an application may pass, so no stack trace. */
    static final class InvalidHostException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidHostException(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A loop, not a stream: it runs in the first load and on every uncached lookup. */
    private static boolean isAscii(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
