package dev.mtls.match;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * A {@link HostMatcher} behind a bounded cache keyed on the host exactly as the application gave
 * it, so a repeated handshake to the same host skips IDN conversion and literal parsing. Misses
 * are cached too: hosts without a profile are the common case and must stay cheap.
 *
 * <p>Build one per immutable matcher (that is, per profile snapshot); it never needs invalidating.
 *
 * <p>A plain {@link ConcurrentHashMap} that is emptied when it reaches its bound, not a cache
 * library: Caffeine cost ~65 classes and ~40 ms at the first load, and its frequency-based eviction buys
 * nothing here. A JVM talks to a bounded set of hosts; only a flood of distinct host names (say,
 * attacker-chosen) fills the map, and then every host simply pays one uncached lookup (about a
 * microsecond) after each emptying. Reads never lock.
 */
public final class CachingHostMatcher<T> {
    /** Enough for every backend of a large gateway; bounds memory when hosts are attacker-chosen. */
    public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

    private final BiFunction<String, Integer, Optional<HostMatch<T>>> lookup;
    private final long maximumSize;
    private final ConcurrentHashMap<HostPortKey, Optional<HostMatch<T>>> cache = new ConcurrentHashMap<>();

    public CachingHostMatcher(HostMatcher<T> matcher) {
        this(new MatcherLookup<>(matcher), DEFAULT_MAXIMUM_SIZE);
    }

    /** Takes the lookup as a function so tests can count how often it runs. */
    CachingHostMatcher(BiFunction<String, Integer, Optional<HostMatch<T>>> lookup, long maximumSize) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.maximumSize = maximumSize;
    }

    /** Same contract as {@link HostMatcher#match(String, int)}. */
    public Optional<HostMatch<T>> match(String host, int port) {
        if (host == null) {
            return lookup.apply(null, port);
        }
        HostPortKey key = new HostPortKey(host, port);
        Optional<HostMatch<T>> found = cache.get(key);
        if (found == null) {
            // Two threads may both look a new host up; both get the same answer, which is cheaper than a lock.
            found = lookup.apply(host, port);
            if (cache.size() >= maximumSize) {
                cache.clear();
            }
            cache.put(key, found);
        }
        return found;
    }

    /** A class, not a method reference: a lambda would spin classes on the first load's path. */
    private static final class MatcherLookup<T> implements BiFunction<String, Integer, Optional<HostMatch<T>>> {
        private final HostMatcher<T> matcher;

        MatcherLookup(HostMatcher<T> matcher) {
            this.matcher = matcher;
        }

        @Override
        public Optional<HostMatch<T>> apply(String host, Integer port) {
            return matcher.match(host, port);
        }
    }
}
