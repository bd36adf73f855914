package dev.mtls.match;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A {@link HostMatcher} behind a bounded cache keyed on the host exactly as the application gave
 * it, so a repeated handshake to the same host skips IDN conversion and literal parsing. Misses
 * are cached too: hosts without a profile are the common case and must stay cheap.
 *
 * <p>Build one per immutable matcher (that is, per profile snapshot); it never needs invalidating.
 */
public final class CachingHostMatcher<T> {
    /** Enough for every backend of a large gateway; bounds memory when hosts are attacker-chosen. */
    public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

    private final BiFunction<String, Integer, Optional<HostMatch<T>>> lookup;
    private final Cache<HostPortKey, Optional<HostMatch<T>>> cache;

    public CachingHostMatcher(HostMatcher<T> matcher) {
        this(matcher::match, DEFAULT_MAXIMUM_SIZE);
    }

    /** Takes the lookup as a function so tests can count how often it runs. */
    CachingHostMatcher(BiFunction<String, Integer, Optional<HostMatch<T>>> lookup, long maximumSize) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                // Eviction runs on the calling thread: inside a host JVM we must not start using
                // its ForkJoinPool.commonPool, which the application may size or depend on.
                .executor(Runnable::run)
                .build();
    }

    /** Same contract as {@link HostMatcher#match(String, int)}. */
    public Optional<HostMatch<T>> match(String host, int port) {
        if (host == null) {
            return lookup.apply(null, port);
        }
        return cache.get(new HostPortKey(host, port), key -> lookup.apply(key.host(), key.port()));
    }
}
