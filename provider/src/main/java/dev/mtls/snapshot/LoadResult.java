package dev.mtls.snapshot;

import dev.mtls.profile.ProfileDocument;
import dev.mtls.profile.ProfileError;
import java.util.List;
import java.util.Objects;

/**
 * What loading a profile file gave: a snapshot of every profile that could be routed, an error
 * for each profile that could not be used as configured, and warnings an operator should act on
 * (a certificate close to expiry, a key file readable by others).
 */
public final class LoadResult {
    private final ProfileDocument document;
    private final ProfileSnapshot snapshot;
    private final List<ProfileError> errors;
    private final List<ProfileError> warnings;

    public LoadResult(ProfileDocument document, ProfileSnapshot snapshot, List<ProfileError> errors,
            List<ProfileError> warnings) {
        this.document = Objects.requireNonNull(document, "document");
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.errors = List.copyOf(errors);
        this.warnings = List.copyOf(warnings);
    }

    public ProfileDocument document() {
        return document;
    }

    public ProfileSnapshot snapshot() {
        return snapshot;
    }

    public List<ProfileError> errors() {
        return errors;
    }

    public List<ProfileError> warnings() {
        return warnings;
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }
}
