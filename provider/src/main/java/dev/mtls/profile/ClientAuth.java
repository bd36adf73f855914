package dev.mtls.profile;

import java.util.Locale;

/**
 * What a listener asks of the clients of the server handshakes it covers, with the WSO2
 * Microgateway's meaning of the words.
 */
public enum ClientAuth {
    /** A trusted certificate on the allow-list, or the handshake fails. */
    MANDATORY,
    /** A client without a certificate gets in without identity; one that presents a certificate must pass. */
    OPTIONAL,
    /** The application's own setting stands: the listener may only serve a server identity. The default. */
    NONE;

    /** Parses {@code mandatory}, {@code optional} or {@code none}, in any case; null when it is none of them. */
    public static ClientAuth parse(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "mandatory":
                return MANDATORY;
            case "optional":
                return OPTIONAL;
            case "none":
                return NONE;
            default:
                return null;
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
