package dev.mtls.profile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed profile file: the profiles and listeners that parsed, and one error for each that did
 * not. One bad profile or listener never hides the good ones.
 */
public final class ProfileDocument {
    /** The two formats, detected from the file's content, not its name. */
    public enum Format { YAML, WSO2_XML }

    private final Path file;
    private final Format format;
    private final Duration reload;
    private final List<ProfileDefinition> profiles;
    private final List<ListenerDefinition> listeners;
    private final List<ProfileError> errors;

    /** A file without listeners (a WSO2 XML file has none). */
    public ProfileDocument(Path file, Format format, Duration reload, List<ProfileDefinition> profiles,
            List<ProfileError> errors) {
        this(file, format, reload, profiles, List.of(), errors);
    }

    /** @param reload the file's own {@code reload} setting, or null when it has none */
    public ProfileDocument(Path file, Format format, Duration reload, List<ProfileDefinition> profiles,
            List<ListenerDefinition> listeners, List<ProfileError> errors) {
        this.file = Objects.requireNonNull(file, "file");
        this.format = Objects.requireNonNull(format, "format");
        this.reload = reload;
        this.profiles = List.copyOf(profiles);
        this.listeners = List.copyOf(listeners);
        this.errors = List.copyOf(errors);
    }

    public Path file() {
        return file;
    }

    public Format format() {
        return format;
    }

    public Optional<Duration> reload() {
        return Optional.ofNullable(reload);
    }

    public List<ProfileDefinition> profiles() {
        return profiles;
    }

    /** In file order, including listeners kept only for their ports ({@link ListenerDefinition#unreadable}). */
    public List<ListenerDefinition> listeners() {
        return listeners;
    }

    public List<ProfileError> errors() {
        return errors;
    }
}
