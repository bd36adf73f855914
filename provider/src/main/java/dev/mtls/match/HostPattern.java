package dev.mtls.match;

/**
 * One host pattern of a profile (to be implemented): {@code host}, {@code host:port},
 * {@code *.suffix}, {@code *.suffix:port}, IPv4, IPv6 ({@code [::1]:8443} or bare {@code ::1}),
 * {@code *}. Host names compare case-insensitively, trailing dot ignored, IDN in ASCII form;
 * IPv6 in canonical form. {@code *.example.com} matches {@code a.example.com} and
 * {@code a.b.example.com}, never {@code example.com} or {@code badexample.com}. No port matches
 * every port. Equal patterns are {@code equals} (so duplicates across profiles can be found).
 */
public final class HostPattern {
    /** @throws IllegalArgumentException with a message fit for the operator */
    public static HostPattern parse(String text) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
