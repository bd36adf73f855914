package dev.mtls.match;

import java.util.Map;
import java.util.Optional;

/**
 * Finds the most specific pattern for a host (to be implemented): exact host with port > exact
 * host > longest wildcard suffix with port > longest wildcard suffix > {@code *}. Pure and
 * immutable; exact names are found by hash lookup so cost is flat in the number of patterns.
 */
public final class HostMatcher<T> {
    /** @param entries unique patterns (the caller reports duplicates) to their values */
    public static <T> HostMatcher<T> of(Map<HostPattern, T> entries) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * @param host as the application gave it (any case, trailing dot, IDN, bracketed or bare IPv6)
     * @param port the peer port, or -1 when unknown (then only patterns without a port match)
     */
    public Optional<HostMatch<T>> match(String host, int port) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
