package dev.mtls.match;

import java.util.Objects;

/** The pattern that won for a host, and what it maps to. */
public final class HostMatch<T> {
    private final HostPattern pattern;
    private final T value;

    public HostMatch(HostPattern pattern, T value) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.value = Objects.requireNonNull(value, "value");
    }

    public HostPattern pattern() {
        return pattern;
    }

    public T value() {
        return value;
    }

    @Override
    public String toString() {
        return pattern + " -> " + value;
    }
}
