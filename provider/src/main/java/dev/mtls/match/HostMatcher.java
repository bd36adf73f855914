package dev.mtls.match;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the most specific pattern for a host: exact host with port > exact host > longest
 * wildcard suffix with port > longest wildcard suffix > {@code *}. The tiers are strict, as the
 * design states them: any wildcard naming the port beats any wildcard that does not, however long.
 *
 * <p>Pure and immutable. Exact hosts are one hash lookup each; wildcards are found by looking up
 * each proper suffix of the host's labels, longest first, so the cost grows with the number of
 * labels in the host and never with the number of patterns.
 *
 * <p>What a lookup answers for unusual input:
 * <ul>
 *   <li>null, empty or blank host: empty, even when a default {@code *} exists, because no peer
 *       host means no profile.
 *   <li>a host that is neither a valid name nor an IP literal (garbage, an IPv6 zone id such as
 *       {@code fe80::1%eth0}): only the default {@code *} can match. The connection still goes
 *       somewhere, and {@code *} is the operator's "every other host".
 *   <li>port -1, or anything outside 1-65535: unknown, so only patterns without a port match.
 * </ul>
 */
public final class HostMatcher<T> {
    private final Map<String, HostMatch<T>> exact = new HashMap<>();
    private final Map<HostPortKey, HostMatch<T>> exactWithPort = new HashMap<>();
    private final Map<String, HostMatch<T>> wildcards = new HashMap<>();
    private final Map<HostPortKey, HostMatch<T>> wildcardsWithPort = new HashMap<>();
    private final HostMatch<T> fallback;

    private HostMatcher(Map<HostPattern, T> entries) {
        HostMatch<T> defaultMatch = null;
        for (Map.Entry<HostPattern, T> entry : entries.entrySet()) {
            HostPattern pattern = Objects.requireNonNull(entry.getKey(), "pattern");
            // Built once here so that a lookup returns a shared instance and allocates nothing.
            HostMatch<T> match = new HostMatch<>(pattern, entry.getValue());
            if (pattern.isDefault()) {
                defaultMatch = match;
            } else if (pattern.port() == -1) {
                (pattern.isWildcard() ? wildcards : exact).put(pattern.host(), match);
            } else {
                HostPortKey key = new HostPortKey(pattern.host(), pattern.port());
                (pattern.isWildcard() ? wildcardsWithPort : exactWithPort).put(key, match);
            }
        }
        this.fallback = defaultMatch;
    }

    /** @param entries unique patterns (the caller reports duplicates) to their values */
    public static <T> HostMatcher<T> of(Map<HostPattern, T> entries) {
        return new HostMatcher<>(entries);
    }

    /**
     * @param host as the application gave it (any case, trailing dot, IDN, bracketed or bare IPv6)
     * @param port the peer port, or -1 when unknown (then only patterns without a port match)
     */
    public Optional<HostMatch<T>> match(String host, int port) {
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        String canonical = CanonicalHost.forLookup(host);
        HostMatch<T> found = canonical == null ? null : specific(canonical, port >= 1 && port <= 65535 ? port : -1);
        return Optional.ofNullable(found != null ? found : fallback);
    }

    private HostMatch<T> specific(String host, int port) {
        HostMatch<T> found = port == -1 ? null : exactWithPort.get(new HostPortKey(host, port));
        if (found == null) {
            found = exact.get(host);
        }
        if (found != null || CanonicalHost.isIpLiteral(host)) {
            return found;
        }
        if (port != -1 && !wildcardsWithPort.isEmpty()) {
            found = longestWildcard(host, port);
        }
        if (found == null && !wildcards.isEmpty()) {
            found = longestWildcard(host, -1);
        }
        return found;
    }

    /** Proper suffixes only, split at label boundaries: "*.example.com" never sees "badexample.com". */
    private HostMatch<T> longestWildcard(String host, int port) {
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
            String suffix = host.substring(dot + 1);
            HostMatch<T> found = port == -1 ? wildcards.get(suffix) : wildcardsWithPort.get(new HostPortKey(suffix, port));
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
