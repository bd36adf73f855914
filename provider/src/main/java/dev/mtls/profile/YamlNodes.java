package dev.mtls.profile;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Typed reads of SnakeYAML Engine nodes for {@link YamlProfileParser}: each value as the type a
 * field needs, or a {@link ProfileProblem} that names the field and its line.
 */
final class YamlNodes {
    private YamlNodes() {
    }

    static Duration duration(NodeTuple tuple) throws ProfileProblem {
        try {
            return DurationParser.parse(string(tuple, "reload"), DurationParser.MAX_RELOAD);
        } catch (IllegalArgumentException e) {
            throw new ProfileProblem(line(tuple.getValueNode()), "reload: " + e.getMessage());
        }
    }

    static MappingNode mapping(NodeTuple tuple, String field, String expected) throws ProfileProblem {
        Node value = tuple.getValueNode();
        if (value instanceof MappingNode) {
            return (MappingNode) value;
        }
        if (isNull(value)) {
            throw new ProfileProblem(line(value), field + " has no value (expected " + expected + ")");
        }
        throw new ProfileProblem(line(value), field + " must be a mapping (" + expected + "), not " + kind(value));
    }

    /** Any scalar is a string here: {@code storePassword: 123456} is a password, not a number. */
    static String string(NodeTuple tuple, String field) throws ProfileProblem {
        Node value = tuple.getValueNode();
        if (isNull(value)) {
            throw new ProfileProblem(line(value), field + " has no value");
        }
        if (!(value instanceof ScalarNode)) {
            throw new ProfileProblem(line(value), field + " must be a string, not " + kind(value));
        }
        return ((ScalarNode) value).getValue();
    }

    static boolean bool(NodeTuple tuple, String field) throws ProfileProblem {
        String text = string(tuple, field);
        switch (text.toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new ProfileProblem(line(tuple.getValueNode()), field + " must be true or false, not '" + text
                        + "'");
        }
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return isNull(node) ? "empty" : "a string";
    }

    static boolean hasKey(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (isKey(tuple, key)) {
                return true;
            }
        }
        return false;
    }

    static boolean isKey(NodeTuple tuple, String key) {
        Node node = tuple.getKeyNode();
        return node instanceof ScalarNode && ((ScalarNode) node).getValue().equals(key);
    }

    static int line(Node node) {
        // Not Optional.map with a lambda: this runs in the first TLS call, where each lambda spins a class.
        Optional<Mark> mark = node.getStartMark();
        return mark.isPresent() ? mark.get().getLine() + 1 : 0;
    }

    /** A mapping's fields by name, in file order; a repeated or non-string key is an error. */
    static final class Fields {
        private final Map<String, NodeTuple> byName;
        private final String where;

        private Fields(Map<String, NodeTuple> byName, String where) {
            this.byName = byName;
            this.where = where;
        }

        static Fields of(MappingNode mapping, String where) throws ProfileProblem {
            Map<String, NodeTuple> byName = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Node key = tuple.getKeyNode();
                if (!(key instanceof ScalarNode) || isNull(key)) {
                    throw new ProfileProblem(line(key), "field names must be strings" + where);
                }
                String name = ((ScalarNode) key).getValue();
                NodeTuple first = byName.putIfAbsent(name, tuple);
                if (first != null) {
                    throw new ProfileProblem(line(key), "duplicate field " + quotedKey(tuple, name, List.of())
                            + where + " (first at line " + line(first.getKeyNode()) + ")");
                }
            }
            return new Fields(byName, where);
        }

        void rejectUnknown(List<String> known, String problem) throws ProfileProblem {
            for (Map.Entry<String, NodeTuple> field : byName.entrySet()) {
                if (!known.contains(field.getKey())) {
                    throw new ProfileProblem(line(field.getValue().getKeyNode()), problem + " "
                            + quotedKey(field.getValue(), field.getKey(), known) + where
                            + Suggestion.closest(field.getKey(), known));
                }
            }
        }

        /**
         * {@code 'name'}, unless the key has no value and resembles no known field: then it is
         * most likely a piece of an unquoted value that YAML split at a {@code ,} or {@code :}
         * ({@code {storePassword: pa,ss}} makes a key {@code ss}), and that value may be a
         * password, so the key is described rather than quoted.
         */
        private static String quotedKey(NodeTuple tuple, String name, List<String> known) {
            if (!isNull(tuple.getValueNode()) || !Suggestion.closest(name, known).isEmpty()) {
                return "'" + name + "'";
            }
            return "without a value (part of an unquoted value with ',' or ':' in it? quote the value)";
        }

        /**
         * Whether the field is given. A field with no value ({@code keyPassword:} with nothing
         * after it, as a Helm template renders an unset value) is not: for an optional field a YAML
         * null means "not given", while {@code ""} stays an explicit empty value.
         */
        boolean has(String name) {
            NodeTuple tuple = byName.get(name);
            return tuple != null && !isNull(tuple.getValueNode());
        }

        /**
         * Whether the field is written at all, even with no value. For {@code identity} and
         * {@code trust}: an empty section is an error, not "not given", because reading it as
         * absent would turn a profile into one that connects without the identity or trust the
         * operator meant to give.
         */
        boolean written(String name) {
            return byName.containsKey(name);
        }

        /** The field as written, null value included; null when the field is absent. */
        NodeTuple get(String name) {
            return byName.get(name);
        }

        NodeTuple require(String name, Node owner) throws ProfileProblem {
            NodeTuple tuple = byName.get(name);
            if (tuple == null) {
                throw new ProfileProblem(line(owner), "missing field '" + name + "'" + where);
            }
            return tuple;
        }
    }
}
