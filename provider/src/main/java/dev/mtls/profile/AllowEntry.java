package dev.mtls.profile;

import java.util.Locale;
import java.util.Objects;

/**
 * One entry of a listener's {@code allow} list as written: which part of the client certificate
 * it compares and the pattern. A listener without entries accepts any certificate that chains to
 * its trust; with entries, the certificate must match at least one.
 */
public final class AllowEntry {
    /** The part of the client certificate an entry compares. */
    public enum Kind {
        /** The subject distinguished name, compared as {@code X500Principal}s are (RFC 2253 canonical form). */
        SUBJECT,
        /** A DNS subject alternative name, with the wildcard rules of host patterns. */
        DNS,
        /** A URI subject alternative name (SPIFFE IDs are URIs); a trailing {@code *} matches any rest. */
        URI,
        /** An IP address subject alternative name. */
        IP;

        /** The key as written in the file: {@code subject}, {@code dns}, {@code uri}, {@code ip}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Kind kind;
    private final String pattern;

    public AllowEntry(Kind kind, String pattern) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.pattern = Objects.requireNonNull(pattern, "pattern");
    }

    public Kind kind() {
        return kind;
    }

    public String pattern() {
        return pattern;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof AllowEntry)) {
            return false;
        }
        AllowEntry that = (AllowEntry) other;
        return kind == that.kind && pattern.equals(that.pattern);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, pattern);
    }

    @Override
    public String toString() {
        return kind.key() + ": " + pattern;
    }
}
