package dev.mtls.profile;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns field text into what a definition holds: absolute paths and resolved secrets.
 *
 * <p>References ({@code ${env:…}}, {@code ${sys:…}}, {@code ${file:…}}) are expanded in password
 * fields only. Anywhere else they are refused, naming the field and the reference: a path, an
 * alias or a host is printed in messages ("… not found"), so a secret expanded into one would be
 * printed with it, and a {@code ${file:/etc/shadow}} path would show the file's first line.
 */
final class ValueResolver {
    private static final int MAX_QUOTED_REFERENCE = 80;

    private final SecretResolver secrets;
    private final Path base;

    /** @param base absolute */
    ValueResolver(SecretResolver secrets, Path base) {
        this.secrets = secrets;
        this.base = base;
    }

    /**
     * The text of a field that is not a password, with {@code $${} as a literal {@code ${}.
     *
     * @throws ProfileProblem naming {@code field} and the reference when the text holds one
     */
    String plain(String text, String field, int line) throws ProfileProblem {
        String reference = SecretResolver.reference(text);
        if (reference != null) {
            String quoted = reference.length() > MAX_QUOTED_REFERENCE
                    ? reference.substring(0, MAX_QUOTED_REFERENCE) + "…" : reference;
            throw new ProfileProblem(line, field + ": " + quoted + " is not expanded here: references are read"
                    + " only in password fields (keyPassword, storePassword, pin, Password, KeyPassword); write the"
                    + " value itself (or $${ for a literal ${)");
        }
        return SecretResolver.unescape(text);
    }

    /**
     * Refuses references (see {@link #plain}), then resolves against the base folder.
     *
     * @throws ProfileProblem naming {@code field}
     */
    Path path(String text, String field, int line) throws ProfileProblem {
        String literal = plain(text, field, line);
        if (literal.isBlank()) {
            throw new ProfileProblem(line, field + " is empty");
        }
        try {
            return base.resolve(literal).normalize();
        } catch (InvalidPathException e) {
            throw new ProfileProblem(line, field + " is not a valid path");
        }
    }

    /** @throws ProfileProblem naming {@code field} and the reference, never a value */
    Secret secret(String text, String field, int line) throws ProfileProblem {
        try {
            return Secret.of(secrets.resolve(text, base));
        } catch (IllegalArgumentException e) {
            throw new ProfileProblem(line, field + ": " + e.getMessage());
        }
    }
}
