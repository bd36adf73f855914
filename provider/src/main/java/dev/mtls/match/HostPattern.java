package dev.mtls.match;

import dev.mtls.match.CanonicalHost.InvalidHostException;

/**
 * One host pattern of a profile: {@code host}, {@code host:port}, {@code *.suffix},
 * {@code *.suffix:port}, IPv4, IPv6 ({@code [::1]:8443} or bare {@code ::1}), {@code *}.
 *
 * <p>Host names compare case-insensitively, a trailing dot is ignored and IDN is converted to its
 * ASCII form ({@code bücher.example} is {@code xn--bcher-kva.example}). IPv4 must be four decimals
 * 0-255 without leading zeros (resolvers disagree on whether {@code 010} is octal). IPv6 is kept in
 * RFC 5952 form, so {@code 2001:0db8:0:0:0:0:0:1} and {@code [2001:db8::1]} are the same pattern; an
 * IPv4-mapped address ({@code ::ffff:10.0.0.1}) is the IPv4 address, as the JDK treats it. A bare
 * IPv6 address cannot carry a port: {@code 2001:db8::1:8443} is read as an address, so write
 * {@code [2001:db8::1]:8443}. A pattern without a port matches every port. Whitespace around the
 * pattern is ignored (WSO2 {@code <servers>} lists often carry it); whitespace inside is an error.
 *
 * <p>Wildcards: {@code *.example.com} matches {@code a.example.com} and {@code a.b.example.com},
 * never {@code example.com} or {@code badexample.com}. {@code *} must be the whole leftmost label
 * and the only one. A single-label suffix is allowed: {@code *.internal} and {@code *.svc} are
 * common private domains, and a pattern is the operator's explicit choice ({@code which} shows
 * what it covers).
 * Wildcards never cover IP addresses. The default pattern {@code *} takes no port.
 *
 * <p>Patterns are {@code equals} when their canonical forms ({@link #toString()}) are, so that the
 * same pattern written differently in two profiles is found as a duplicate.
 */
public final class HostPattern {
    private static final HostPattern DEFAULT = new HostPattern(null, -1, false);
    private static final String WILDCARD_RULE = "a wildcard must be the whole leftmost label, as in *.example.com";

    private final String host;
    private final int port;
    private final boolean wildcard;
    private final String canonical;

    private HostPattern(String host, int port, boolean wildcard) {
        this.host = host;
        this.port = port;
        this.wildcard = wildcard;
        this.canonical = canonical(host, port, wildcard);
    }

    /** @throws IllegalArgumentException with a message fit for the operator, quoting the pattern */
    public static HostPattern parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("bad host pattern: a pattern cannot be null");
        }
        try {
            return parseTrimmed(text.strip());
        } catch (InvalidHostException e) {
            throw new IllegalArgumentException("bad host pattern '" + text + "': " + e.getMessage());
        }
    }

    private static HostPattern parseTrimmed(String text) throws InvalidHostException {
        if (text.isEmpty()) {
            throw new InvalidHostException("a pattern cannot be empty");
        }
        String hostPart = text;
        String portPart = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close > 0 && close < text.length() - 1) {
                if (text.charAt(close + 1) != ':') {
                    throw new InvalidHostException("only ':port' may follow ']'");
                }
                hostPart = text.substring(0, close + 1);
                portPart = text.substring(close + 2);
            }
        } else {
            int colon = text.indexOf(':');
            // More than one colon is a bare IPv6 address, which cannot carry a port.
            if (colon >= 0 && colon == text.lastIndexOf(':')) {
                hostPart = text.substring(0, colon);
                portPart = text.substring(colon + 1);
            }
        }
        int port = portPart == null ? -1 : port(portPart);
        if (hostPart.equals("*")) {
            if (port != -1) {
                throw new InvalidHostException("the default pattern '*' matches every host and port and takes no port");
            }
            return DEFAULT;
        }
        if (hostPart.isEmpty()) {
            throw new InvalidHostException("the host is missing before ':'");
        }
        if (hostPart.startsWith("*.")) {
            return new HostPattern(wildcardSuffix(hostPart.substring(2)), port, true);
        }
        if (hostPart.indexOf('*') >= 0) {
            throw new InvalidHostException(WILDCARD_RULE);
        }
        return new HostPattern(CanonicalHost.of(hostPart), port, false);
    }

    private static String wildcardSuffix(String suffix) throws InvalidHostException {
        if (suffix.isEmpty()) {
            throw new InvalidHostException("a wildcard needs a domain after '*.', as in *.example.com");
        }
        if (suffix.indexOf('*') >= 0) {
            throw new InvalidHostException(WILDCARD_RULE);
        }
        String canonical = CanonicalHost.of(suffix);
        if (CanonicalHost.isIpLiteral(canonical)) {
            throw new InvalidHostException("a wildcard cannot cover an IP address");
        }
        return canonical;
    }

    private static int port(String text) throws InvalidHostException {
        if (text.isEmpty()) {
            throw new InvalidHostException("the port is missing after ':'");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidHostException("port '" + text + "' is not a number");
            }
        }
        int port = text.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new InvalidHostException("port " + text + " is out of range 1-65535");
        }
        return port;
    }

    private static String canonical(String host, int port, boolean wildcard) {
        if (host == null) {
            return "*";
        }
        // IPv6 is always bracketed here so the text stays unambiguous next to a port or in a list.
        String text = wildcard ? "*." + host : host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == -1 ? text : text + ":" + port;
    }

    /** The canonical host, or for a wildcard its suffix ({@code example.com}); null for {@code *}. */
    public String host() {
        return host;
    }

    /** The port, or -1 when the pattern matches every port. */
    public int port() {
        return port;
    }

    /** True for {@code *.suffix} patterns; false for the default {@code *}. */
    public boolean isWildcard() {
        return wildcard;
    }

    /** True for {@code *}, the pattern of the default profile. */
    public boolean isDefault() {
        return host == null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostPattern && canonical.equals(((HostPattern) other).canonical);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    /** The canonical pattern text, e.g. {@code *.example.com:8443}, {@code [2001:db8::1]:8443}, {@code *}. */
    @Override
    public String toString() {
        return canonical;
    }
}
