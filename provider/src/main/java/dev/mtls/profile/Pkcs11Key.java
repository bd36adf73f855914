package dev.mtls.profile;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A private key in a PKCS#11 token, as an {@code identity.pkcs11} block names it: the module
 * (library), the token by label or by slot ID, the user PIN and the key's label (CKA_LABEL).
 * {@link #toString()} never shows the PIN; equality includes it, so a new PIN counts as a change.
 */
public final class Pkcs11Key {
    private final Path library;
    private final String token;
    private final Long slot;
    private final Secret pin;
    private final String label;

    private Pkcs11Key(Path library, String token, Long slot, Secret pin, String label) {
        this.library = Objects.requireNonNull(library, "library");
        if ((token == null) == (slot == null)) {
            throw new IllegalArgumentException("exactly one of token and slot");
        }
        this.token = token;
        this.slot = slot;
        this.pin = Objects.requireNonNull(pin, "pin");
        this.label = Objects.requireNonNull(label, "label");
    }

    /** The token found by its label (CKA token label, trailing blanks ignored). */
    public static Pkcs11Key inToken(Path library, String token, Secret pin, String label) {
        return new Pkcs11Key(library, Objects.requireNonNull(token, "token"), null, pin, label);
    }

    /** The token in the slot with this ID. */
    public static Pkcs11Key inSlot(Path library, long slot, Secret pin, String label) {
        return new Pkcs11Key(library, null, slot, pin, label);
    }

    public Path library() {
        return library;
    }

    /** The token label, or null when the slot is given. */
    public String token() {
        return token;
    }

    /** The slot ID, or null when the token is named by label. */
    public Long slot() {
        return slot;
    }

    public Secret pin() {
        return pin;
    }

    /** The key's label (CKA_LABEL), under which the JDK's PKCS#11 keystore lists it. */
    public String label() {
        return label;
    }

    /** "token 'mtls'" or "slot 3": how messages and {@code check} name the token. */
    public String describeToken() {
        return token != null ? "token '" + token + "'" : "slot " + slot;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Pkcs11Key)) {
            return false;
        }
        Pkcs11Key that = (Pkcs11Key) other;
        return library.equals(that.library) && Objects.equals(token, that.token) && Objects.equals(slot, that.slot)
                && pin.equals(that.pin) && label.equals(that.label);
    }

    @Override
    public int hashCode() {
        return Objects.hash(library, token, slot, label);
    }

    @Override
    public String toString() {
        return "pkcs11 " + describeToken() + " key '" + label + "' (library " + library + ")";
    }
}
