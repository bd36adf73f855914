package dev.mtls.material;

/**
 * Key material that cannot be used: a missing file, a wrong password, a key that does not belong
 * to its certificate. The message names the file and the problem and never contains a password
 * or key text; it is meant to be shown to the operator as it is.
 */
public final class MaterialException extends Exception {
    private static final long serialVersionUID = 1L;

    public MaterialException(String message) {
        super(message);
    }

    /** The cause is kept for debugging; its message is not repeated in ours. */
    public MaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}
