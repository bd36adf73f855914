package dev.mtls.agent;

/**
 * Whether {@code strict=true} was asked for, read without {@link AgentOptions} or anything else
 * of the agent's: when the agent fails to start because a class of its own cannot load (a runtime
 * image without a module it needs), strict must still stop the JVM. Same sources and order as
 * the options: agent arguments, then {@code -Dmtls.strict}, then {@code MTLS_STRICT}.
 */
final class StrictRequest {
    private StrictRequest() {
    }

    static boolean isSet(String arguments) {
        if (arguments != null) {
            for (String option : arguments.split(",")) {
                int equals = option.indexOf('=');
                if (equals > 0 && option.substring(0, equals).trim().equals(AgentOptions.STRICT)) {
                    return isTrue(option.substring(equals + 1));
                }
            }
        }
        try {
            String property = System.getProperty("mtls.strict");
            if (property != null) {
                return isTrue(property);
            }
            String environment = System.getenv("MTLS_STRICT");
            return environment != null && isTrue(environment);
        } catch (SecurityException e) {
            // A security manager that denies even this: strict cannot be known, so it is not assumed.
            return false;
        }
    }

    private static boolean isTrue(String value) {
        return value.trim().equalsIgnoreCase("true");
    }
}
