package dev.mtls.agent.hook;

/** The SSLContext hook could not be installed; the message says why, for one log line. */
public final class HookException extends Exception {
    private static final long serialVersionUID = 1L;

    HookException(String message) {
        super(message);
    }

    HookException(String message, Throwable cause) {
        super(message, cause);
    }
}
