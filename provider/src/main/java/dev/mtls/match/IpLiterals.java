package dev.mtls.match;

/**
 * Whether a host an application gave is an IP address rather than a name, read the same way
 * host patterns are (so "10.0.0.5", "::1" and "[::1]" are addresses, "010.0.0.5" is neither).
 * Purely textual: no DNS.
 */
public final class IpLiterals {
    private IpLiterals() {
    }

    /** True when {@code host} is an IPv4 or IPv6 literal; false for names and for garbage. */
    public static boolean isIpLiteral(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String canonical = CanonicalHost.forLookup(host);
        return canonical != null && CanonicalHost.isIpLiteral(canonical);
    }
}
