package dev.mtls.profile;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Turns field text into what a definition holds: absolute paths and resolved secrets. */
final class ValueResolver {
    private final SecretResolver secrets;
    private final Path base;

    /** @param base absolute */
    ValueResolver(SecretResolver secrets, Path base) {
        this.secrets = secrets;
        this.base = base;
    }

    /**
     * Expands references, then resolves against the base folder.
     *
     * @throws ProfileProblem naming {@code field}
     */
    Path path(String text, String field, int line) throws ProfileProblem {
        String expanded = expand(text, field, line);
        if (expanded.isBlank()) {
            throw new ProfileProblem(line, field + " is empty");
        }
        try {
            return base.resolve(expanded).normalize();
        } catch (InvalidPathException e) {
            throw new ProfileProblem(line, field + " is not a valid path");
        }
    }

    /** @throws ProfileProblem naming {@code field} and the reference, never a value */
    Secret secret(String text, String field, int line) throws ProfileProblem {
        return Secret.of(expand(text, field, line));
    }

    private String expand(String text, String field, int line) throws ProfileProblem {
        try {
            return secrets.resolve(text, base);
        } catch (IllegalArgumentException e) {
            throw new ProfileProblem(line, field + ": " + e.getMessage());
        }
    }
}
