package dev.mtls.profile;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Expands {@code ${env:NAME}}, {@code ${sys:NAME}} and {@code ${file:PATH}} (first line,
 * trimmed; relative to the base folder) in a field value (to be implemented). An unresolved
 * reference is an {@link IllegalArgumentException} whose message names the reference but never
 * a value.
 */
public final class SecretResolver {
    private final Map<String, String> environment;
    private final Properties systemProperties;

    public SecretResolver(Map<String, String> environment, Properties systemProperties) {
        this.environment = Map.copyOf(environment);
        this.systemProperties = systemProperties;
    }

    /** Resolves against this process's environment and system properties. */
    public static SecretResolver system() {
        return new SecretResolver(System.getenv(), System.getProperties());
    }

    public String resolve(String text, Path base) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
