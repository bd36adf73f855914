package dev.mtls.profile;

import java.util.Locale;

/** What happens when a matched profile has no usable identity. */
public enum Mode {
    /** Fail the handshake with a message naming the profile and the reason. The default. */
    MANDATORY,
    /** Connect without the identity and warn once per host. */
    OPTIONAL;

    /** Parses {@code mandatory} or {@code optional}, in any case; null when it is neither. */
    public static Mode parse(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "mandatory":
                return MANDATORY;
            case "optional":
                return OPTIONAL;
            default:
                return null;
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
