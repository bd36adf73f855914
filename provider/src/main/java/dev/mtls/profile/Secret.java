package dev.mtls.profile;

import java.util.Arrays;

/**
 * A password or other secret value from a profile. Its {@link #toString()} never reveals the
 * value, so a secret that slips into a log line or an exception message stays hidden.
 */
public final class Secret {
    private static final Secret EMPTY = new Secret(new char[0]);

    private final char[] value;

    private Secret(char[] value) {
        this.value = value;
    }

    public static Secret of(String value) {
        return value == null ? null : new Secret(value.toCharArray());
    }

    public static Secret empty() {
        return EMPTY;
    }

    /** A copy of the value, for the one call (a KeyStore, a decryptor) that needs it. */
    public char[] chars() {
        return value.clone();
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret && Arrays.equals(value, ((Secret) other).value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "******";
    }
}
