package dev.mtls.agent;

import dev.mtls.profile.DurationParser;
import java.lang.System.Logger.Level;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's options, each read from, in this order: the agent argument
 * ({@code -javaagent:mtls-agent.jar=profiles=/x.yaml,reload=30s}), the system property
 * {@code mtls.<name>}, the environment variable {@code MTLS_<NAME>}.
 *
 * <p>Environment names: the option name upper-cased ({@code MTLS_EXPIRYWARNING}) and, for a
 * camel-case name, also with underscores between the words ({@code MTLS_EXPIRY_WARNING}), which
 * is what people write for environment variables; when both are set, the first form wins.
 * An empty system property or environment variable counts as unset (Kubernetes and shell
 * templates leave empty values behind); an empty agent argument is an error.
 *
 * <p>A problem (unknown option, unusable value) never throws: it is recorded, the option keeps
 * its default, and the caller reports it. Only agent arguments are checked for unknown names:
 * {@code mtls.*} system properties and {@code MTLS_*} variables may belong to something else.
 */
public final class AgentOptions {
    static final String PROFILES = "profiles";
    static final String BASE = "base";
    static final String RELOAD = "reload";
    static final String LOG = "log";
    static final String STRICT = "strict";
    static final String EXPIRY_WARNING = "expiryWarning";
    static final String JMX = "jmx";
    static final List<String> NAMES = List.of(PROFILES, BASE, RELOAD, LOG, STRICT, EXPIRY_WARNING, JMX);

    static final Duration DEFAULT_EXPIRY_WARNING = Duration.ofDays(14);

    private final Path profiles;
    private final Path base;
    private final Duration reload;
    private final Level log;
    private final boolean strict;
    private final Duration expiryWarning;
    private final boolean jmx;
    private final List<String> problems;

    private AgentOptions(Reader reader) {
        this.profiles = reader.path(PROFILES);
        this.base = reader.path(BASE);
        this.reload = reader.duration(RELOAD, null);
        this.log = reader.level(LOG);
        this.strict = reader.bool(STRICT, false);
        this.expiryWarning = reader.duration(EXPIRY_WARNING, DEFAULT_EXPIRY_WARNING);
        this.jmx = reader.bool(JMX, true);
        this.problems = List.copyOf(reader.problems);
    }

    /** Options for this process: its system properties and environment. */
    public static AgentOptions fromSystem(String agentArguments) {
        return parse(agentArguments, propertiesAsMap(), System.getenv());
    }

    /**
     * @param agentArguments what followed {@code =} in {@code -javaagent:}, or null
     * @param systemProperties {@code mtls.<name>} entries are read
     * @param environment {@code MTLS_<NAME>} entries are read
     */
    public static AgentOptions parse(String agentArguments, Map<String, String> systemProperties,
            Map<String, String> environment) {
        return new AgentOptions(new Reader(agentArguments, systemProperties, environment));
    }

    /** The profile file, or empty when no source names one (the agent then does not start). */
    public Optional<Path> profiles() {
        return Optional.ofNullable(profiles);
    }

    /** The folder relative key-material paths resolve against; empty for the profile file's own folder. */
    public Optional<Path> base() {
        return Optional.ofNullable(base);
    }

    /** The reload interval given as an option; empty when none was (the file's own setting, else 30 s, applies). */
    public Optional<Duration> reload() {
        return Optional.ofNullable(reload);
    }

    /** The least severe level the agent logs; INFO unless set. */
    public Level log() {
        return log;
    }

    /** Exit (at start) instead of running on with what loaded, when anything in the configuration is wrong. */
    public boolean strict() {
        return strict;
    }

    public Duration expiryWarning() {
        return expiryWarning;
    }

    public boolean jmx() {
        return jmx;
    }

    /** One line per problem, each naming the option and where it came from; never throws. */
    public List<String> problems() {
        return problems;
    }

    /** Environment variable names for an option, in the order they are consulted. */
    static List<String> environmentNames(String option) {
        StringBuilder words = new StringBuilder("MTLS_");
        for (int i = 0; i < option.length(); i++) {
            char c = option.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                words.append('_');
            }
            words.append(Character.toUpperCase(c));
        }
        String plain = "MTLS_" + option.toUpperCase(Locale.ROOT);
        return plain.contentEquals(words) ? List.of(plain) : List.of(plain, words.toString());
    }

    private static Map<String, String> propertiesAsMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String name : NAMES) {
            String value = System.getProperty("mtls." + name);
            if (value != null) {
                map.put("mtls." + name, value);
            }
        }
        return map;
    }

    /** Resolves each option through the three sources and records problems instead of throwing. */
    private static final class Reader {
        private final Map<String, String> arguments = new LinkedHashMap<>();
        private final Map<String, String> properties;
        private final Map<String, String> environment;
        private final List<String> problems = new ArrayList<>();

        Reader(String agentArguments, Map<String, String> properties, Map<String, String> environment) {
            this.properties = properties;
            this.environment = environment;
            if (agentArguments != null) {
                splitArguments(agentArguments);
            }
        }

        private void splitArguments(String text) {
            for (String entry : text.split(",")) {
                String trimmed = entry.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int equals = trimmed.indexOf('=');
                String name = (equals < 0 ? trimmed : trimmed.substring(0, equals)).trim();
                if (!NAMES.contains(name)) {
                    problems.add("unknown option '" + name + "'" + suggestion(name));
                } else if (equals < 0) {
                    problems.add("option '" + name + "' has no value (write " + name + "=...)");
                } else if (arguments.containsKey(name)) {
                    problems.add("option '" + name + "' is given twice in the agent arguments; using the first");
                } else {
                    arguments.put(name, trimmed.substring(equals + 1).trim());
                }
            }
        }

        private static String suggestion(String name) {
            for (String known : NAMES) {
                if (known.equalsIgnoreCase(name)) {
                    return " (did you mean '" + known + "'?)";
                }
            }
            if (name.contains("/") || name.contains("\\") || name.endsWith(".yaml") || name.endsWith(".xml")) {
                return " (write profiles=" + name + ")";
            }
            return " (known: " + String.join(", ", NAMES) + ")";
        }

        /** The raw value and where it came from, by precedence; null when no source sets it. */
        private Value raw(String name) {
            if (arguments.containsKey(name)) {
                return new Value(arguments.get(name), "agent argument '" + name + "'");
            }
            String property = properties.get("mtls." + name);
            if (property != null && !property.isBlank()) {
                return new Value(property.trim(), "system property 'mtls." + name + "'");
            }
            for (String variable : environmentNames(name)) {
                String value = environment.get(variable);
                if (value != null && !value.isBlank()) {
                    return new Value(value.trim(), "environment variable '" + variable + "'");
                }
            }
            return null;
        }

        Path path(String name) {
            Value raw = raw(name);
            if (raw == null) {
                return null;
            }
            if (raw.text.isEmpty()) {
                problems.add(raw.source + " is empty");
                return null;
            }
            try {
                return Path.of(raw.text);
            } catch (InvalidPathException e) {
                problems.add(raw.source + ": '" + raw.text + "' is not a valid path");
                return null;
            }
        }

        boolean bool(String name, boolean fallback) {
            Value raw = raw(name);
            if (raw == null) {
                return fallback;
            }
            if (raw.text.equalsIgnoreCase("true")) {
                return true;
            }
            if (raw.text.equalsIgnoreCase("false")) {
                return false;
            }
            problems.add(raw.source + ": '" + raw.text + "' is neither true nor false; using " + fallback);
            return fallback;
        }

        Level level(String name) {
            Value raw = raw(name);
            if (raw == null) {
                return Level.INFO;
            }
            switch (raw.text.toLowerCase(Locale.ROOT)) {
                case "error":
                    return Level.ERROR;
                case "warn":
                case "warning":
                    return Level.WARNING;
                case "info":
                    return Level.INFO;
                case "debug":
                    return Level.DEBUG;
                default:
                    problems.add(raw.source + ": '" + raw.text + "' is not one of error, warn, info, debug; using info");
                    return Level.INFO;
            }
        }

        /**
         * Same grammar as the profile file's durations: 500ms, 30s, 5m, 1h, 14d, or 0; at most the
         * option's maximum. DurationParser is touched only for an option that is set: premain of a
         * JVM that never uses TLS loads none of the profile classes.
         */
        Duration duration(String name, Duration fallback) {
            Value raw = raw(name);
            if (raw == null) {
                return fallback;
            }
            try {
                return DurationParser.parse(raw.text,
                        RELOAD.equals(name) ? DurationParser.MAX_RELOAD : DurationParser.MAX_EXPIRY_WARNING);
            } catch (IllegalArgumentException e) {
                problems.add(raw.source + ": " + e.getMessage() + (fallback == null ? "" : "; using the default"));
                return fallback;
            }
        }
    }

    /** One option's text and where it came from, for messages that tell the operator where to fix it. */
    private static final class Value {
        final String text;
        final String source;

        Value(String text, String source) {
            this.text = text;
            this.source = source;
        }
    }
}
