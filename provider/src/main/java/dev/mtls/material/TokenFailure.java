package dev.mtls.material;

import java.io.IOException;

/**
 * A PKCS#11 call that failed, its message already the sentence to show after the token's name
 * ("wrong PIN (the token refused the login)"). An {@link IOException} so that it passes through
 * {@link dev.mtls.files.BoundedReads} unchanged. Never holds the PIN: the JDK's PKCS#11 errors
 * carry return codes (CKR_…), not the values passed.
 */
final class TokenFailure extends IOException {
    private static final long serialVersionUID = 1L;

    TokenFailure(String message) {
        super(message);
    }

    /** Every exception of the chain, for the PKCS#11 return code (CKR_…) one of them names. */
    static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = e; cause != null && text.length() < 4096; cause = cause.getCause()) {
            text.append(cause).append('\n');
            if (cause.getCause() == cause) {
                break;
            }
        }
        return text.toString();
    }

    /** An exception's text without its class name when it has one, for a sentence. */
    static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        if (cause.getCause() != null && cause.getCause().getMessage() != null) {
            message = message + ": " + cause.getCause().getMessage();
        }
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
