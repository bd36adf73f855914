package dev.mtls.match;

import java.util.Optional;

/** A {@link HostMatcher} behind a bounded cache (to be implemented). */
public final class CachingHostMatcher<T> {
    private final HostMatcher<T> matcher;

    public CachingHostMatcher(HostMatcher<T> matcher) {
        this.matcher = matcher;
    }

    public Optional<HostMatch<T>> match(String host, int port) {
        return matcher.match(host, port);
    }
}
