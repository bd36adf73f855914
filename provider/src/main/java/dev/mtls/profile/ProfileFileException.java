package dev.mtls.profile;

/** The profile file as a whole could not be used: missing, unreadable, not YAML or XML, bad version. */
public final class ProfileFileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient ProfileError error;

    public ProfileFileException(ProfileError error) {
        super(error.toString(), null, false, false);
        this.error = error;
    }

    public ProfileError error() {
        return error;
    }
}
