package dev.mtls.profile;

import dev.mtls.log.Printable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One problem found while reading a profile file: which file, which profile or listener (when the
 * problem belongs to one), which line (when the parser knows it) and what is wrong. The message never
 * contains a password or key text, and names, paths and messages taken from the file have their
 * control characters escaped ({@link Printable}) here, once, for every channel that prints them.
 */
public final class ProfileError {
    private final Path file;
    private final String profile;
    private final String listener;
    private final int line;
    private final String message;

    public ProfileError(Path file, String profile, int line, String message) {
        this(file, profile, null, line, message);
    }

    private ProfileError(Path file, String profile, String listener, int line, String message) {
        this.file = Objects.requireNonNull(file, "file");
        this.profile = Printable.escape(profile);
        this.listener = Printable.escape(listener);
        this.line = line;
        this.message = Printable.escape(Objects.requireNonNull(message, "message"));
    }

    public static ProfileError ofFile(Path file, int line, String message) {
        return new ProfileError(file, null, null, line, message);
    }

    /**
     * A problem of one listener. Kept apart from {@link #profile()} because a listener and a
     * profile may share a name, and what happens to one on reload must not touch the other.
     */
    public static ProfileError ofListener(Path file, String listener, int line, String message) {
        return new ProfileError(file, null, Objects.requireNonNull(listener, "listener"), line, message);
    }

    public Path file() {
        return file;
    }

    /** The profile's name, or null for a problem with a listener or the file as a whole. */
    public String profile() {
        return profile;
    }

    /** The listener's name, or null for a problem with a profile or the file as a whole. */
    public String listener() {
        return listener;
    }

    /** The 1-based line, or 0 where it is not known. */
    public int line() {
        return line;
    }

    public String message() {
        return message;
    }

    /** {@code file:line: profile 'name': message} (or {@code listener 'name'}), leaving out what is not known. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(Printable.escape(file.toString()));
        if (line > 0) {
            text.append(':').append(line);
        }
        text.append(": ");
        if (profile != null) {
            text.append("profile '").append(profile).append("': ");
        }
        if (listener != null) {
            text.append("listener '").append(listener).append("': ");
        }
        return text.append(message).toString();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ProfileError)) {
            return false;
        }
        ProfileError that = (ProfileError) other;
        return line == that.line && file.equals(that.file) && Objects.equals(profile, that.profile)
                && Objects.equals(listener, that.listener) && message.equals(that.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, profile, listener, line, message);
    }
}
