package dev.mtls.profile;

/**
 * A problem found while walking one profile (or the file's top level), with the line it is on.
 * The parsers turn it into a {@link ProfileError}; it never leaves this package.
 */
final class ProfileProblem extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;

    ProfileProblem(int line, String message) {
        super(message, null, false, false);
        this.line = line;
    }

    /** 1-based; 0 when unknown. */
    int line() {
        return line;
    }
}
