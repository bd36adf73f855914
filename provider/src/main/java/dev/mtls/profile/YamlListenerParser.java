package dev.mtls.profile;

import static dev.mtls.profile.YamlNodes.isKey;
import static dev.mtls.profile.YamlNodes.isNull;
import static dev.mtls.profile.YamlNodes.kind;
import static dev.mtls.profile.YamlNodes.line;
import static dev.mtls.profile.YamlNodes.string;

import dev.mtls.profile.YamlNodes.Fields;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The {@code listeners} section of the native format, beside {@code profiles}. The
 * {@code identity} and {@code trust} blocks are read by {@link YamlProfileParser}, so they accept
 * exactly what a profile's do, with the same messages.
 *
 * <p>Port conflicts between listeners are not decided here but when the file loads (as host
 * patterns taken by an earlier profile are), so that a listener that lost a port still fails
 * closed on the ports it kept. So are {@code dns} and {@code ip} allow entries, which follow the
 * host-pattern rules of the {@code match} package (as a profile's hosts are checked when it loads).
 * Subjects and URIs are checked here.
 */
final class YamlListenerParser {
    static final List<String> LISTENER_FIELDS = List.of("name", "ports", "clientAuth", "trust", "allow", "identity");
    static final List<String> ALLOW_KEYS = List.of("subject", "dns", "uri", "ip", "spiffe");
    private static final String SPIFFE = "spiffe://";

    private final Path file;
    private final ValueResolver values;
    private final YamlProfileParser blocks;

    YamlListenerParser(Path file, ValueResolver values, YamlProfileParser blocks) {
        this.file = file;
        this.values = values;
        this.blocks = blocks;
    }

    /** @param errors receives one error for each listener that did not read */
    List<ListenerDefinition> listeners(Node listenersNode, List<ProfileError> errors) throws ProfileProblem {
        List<ListenerDefinition> listeners = new ArrayList<>();
        if (isNull(listenersNode)) {
            return listeners;
        }
        if (!(listenersNode instanceof SequenceNode)) {
            throw new ProfileProblem(line(listenersNode), "listeners must be a list, not " + kind(listenersNode));
        }
        Map<String, Integer> firstLines = new HashMap<>();
        List<Node> entries = ((SequenceNode) listenersNode).getValue();
        for (int i = 0; i < entries.size(); i++) {
            Node entry = entries.get(i);
            String label = "#" + (i + 1);
            try {
                if (!(entry instanceof MappingNode)) {
                    throw new ProfileProblem(line(entry), "a listener must be a mapping (name, ports, clientAuth, …),"
                            + " not " + kind(entry));
                }
                MappingNode mapping = (MappingNode) entry;
                String name = YamlProfileParser.name(mapping);
                Integer first = firstLines.putIfAbsent(name, line(mapping));
                if (first != null) {
                    // Kept for its ports under a name of its own: names in a snapshot are unique.
                    label = name + label;
                    throw new ProfileProblem(line(mapping),
                            "duplicate listener name '" + name + "' (first defined at line " + first + ")");
                }
                label = name;
                listeners.add(listener(name, mapping));
            } catch (ProfileProblem problem) {
                errors.add(ProfileError.ofListener(file, label, problem.line(), problem.getMessage()));
                ListenerDefinition unreadable = unreadable(label, entry, problem);
                if (unreadable != null) {
                    listeners.add(unreadable);
                }
            }
        }
        return listeners;
    }

    private ListenerDefinition listener(String name, MappingNode mapping) throws ProfileProblem {
        Fields fields = Fields.of(mapping, "");
        fields.rejectUnknown(LISTENER_FIELDS, "unknown field");
        List<Integer> ports = fields.written("ports") ? ports(fields.get("ports")) : List.of();
        ClientAuth clientAuth = ClientAuth.NONE;
        if (fields.has("clientAuth")) {
            clientAuth = clientAuth(fields.get("clientAuth"));
        }
        TrustSpec trust = null;
        if (fields.written("trust")) {
            if (clientAuth == ClientAuth.NONE) {
                throw new ProfileProblem(line(fields.get("trust").getKeyNode()), "trust has no effect with clientAuth"
                        + " none (the application's own client authentication stands); set clientAuth to"
                        + " mandatory or optional, or remove trust");
            }
            trust = blocks.trust(fields.get("trust"), true);
        } else if (clientAuth != ClientAuth.NONE) {
            throw new ProfileProblem(line(mapping), "clientAuth " + clientAuth + " needs trust (the CAs client"
                    + " certificates must chain to)");
        }
        List<AllowEntry> allow = List.of();
        if (fields.written("allow")) {
            if (clientAuth == ClientAuth.NONE) {
                throw new ProfileProblem(line(fields.get("allow").getKeyNode()), "allow has no effect with clientAuth"
                        + " none; set clientAuth to mandatory or optional, or remove allow");
            }
            allow = allow(fields.get("allow"));
        }
        IdentitySpec identity = fields.written("identity") ? blocks.identity(fields.get("identity")) : null;
        return new ListenerDefinition(name, ports, clientAuth, trust, allow, identity, line(mapping));
    }

    private ClientAuth clientAuth(NodeTuple tuple) throws ProfileProblem {
        String text = values.plain(string(tuple, "clientAuth"), "clientAuth", line(tuple.getValueNode()));
        ClientAuth clientAuth = ClientAuth.parse(text);
        if (clientAuth == null) {
            throw new ProfileProblem(line(tuple.getValueNode()),
                    "clientAuth must be mandatory, optional or none, not '" + text + "'");
        }
        return clientAuth;
    }

    /** A list of ports or a single one; a port listed twice is kept once. */
    private List<Integer> ports(NodeTuple tuple) throws ProfileProblem {
        Node value = tuple.getValueNode();
        if (isNull(value)) {
            throw new ProfileProblem(line(value), "ports has no value (leave ports out for every TLS server"
                    + " handshake in the JVM)");
        }
        if (value instanceof ScalarNode) {
            return List.of(port(value));
        }
        if (!(value instanceof SequenceNode)) {
            throw new ProfileProblem(line(value), "ports must be a list of port numbers, not " + kind(value));
        }
        List<Integer> ports = new ArrayList<>();
        for (Node item : ((SequenceNode) value).getValue()) {
            if (!(item instanceof ScalarNode)) {
                throw new ProfileProblem(line(item), "ports must be a list of port numbers, not a list containing "
                        + kind(item));
            }
            Integer port = port(item);
            if (!ports.contains(port)) {
                ports.add(port);
            }
        }
        if (ports.isEmpty()) {
            throw new ProfileProblem(line(value), "ports is empty (leave ports out for every TLS server handshake"
                    + " in the JVM)");
        }
        return ports;
    }

    private Integer port(Node node) throws ProfileProblem {
        if (isNull(node)) {
            throw new ProfileProblem(line(node), "ports has an empty entry");
        }
        String text = values.plain(((ScalarNode) node).getValue(), "ports", line(node)).strip();
        boolean digits = !text.isEmpty() && text.length() <= 5;
        for (int i = 0; i < text.length() && digits; i++) {
            digits = text.charAt(i) >= '0' && text.charAt(i) <= '9';
        }
        int port = digits ? Integer.parseInt(text) : -1;
        if (port < 1 || port > 65535) {
            throw new ProfileProblem(line(node), "ports: '" + text + "' is not a port number (1-65535)");
        }
        return port;
    }

    private List<AllowEntry> allow(NodeTuple tuple) throws ProfileProblem {
        Node value = tuple.getValueNode();
        if (!(value instanceof SequenceNode)) {
            throw new ProfileProblem(line(value), "allow must be a list of entries such as '- subject: \"CN=…\"',"
                    + " not " + kind(value));
        }
        List<AllowEntry> entries = new ArrayList<>();
        for (Node item : ((SequenceNode) value).getValue()) {
            entries.add(allowEntry(item));
        }
        if (entries.isEmpty()) {
            throw new ProfileProblem(line(value), "allow is empty (leave allow out to accept any certificate that"
                    + " chains to trust)");
        }
        return entries;
    }

    private AllowEntry allowEntry(Node item) throws ProfileProblem {
        if (!(item instanceof MappingNode) || ((MappingNode) item).getValue().size() != 1) {
            throw new ProfileProblem(line(item), "each allow entry must be one of " + String.join(", ", ALLOW_KEYS)
                    + " with its pattern, as in '- dns: \"*.bots.example.com\"', not " + (item instanceof MappingNode
                    ? "a mapping with " + ((MappingNode) item).getValue().size() + " fields" : kind(item)));
        }
        Fields fields = Fields.of((MappingNode) item, " in allow");
        fields.rejectUnknown(ALLOW_KEYS, "unknown allow entry");
        NodeTuple tuple = ((MappingNode) item).getValue().get(0);
        String key = ((ScalarNode) tuple.getKeyNode()).getValue();
        int line = line(tuple.getValueNode());
        String pattern = values.plain(string(tuple, "allow." + key), "allow." + key, line).strip();
        if (pattern.isEmpty()) {
            throw new ProfileProblem(line, "allow." + key + " is empty");
        }
        switch (key) {
            case "subject":
                return subject(pattern, line);
            case "dns":
                return new AllowEntry(AllowEntry.Kind.DNS, pattern);
            case "ip":
                return new AllowEntry(AllowEntry.Kind.IP, pattern);
            case "spiffe":
                if (!pattern.startsWith(SPIFFE)) {
                    throw new ProfileProblem(line, "allow.spiffe '" + pattern + "' must start with " + SPIFFE);
                }
                return uri(pattern, "allow.spiffe", line);
            default:
                return uri(pattern, "allow.uri", line);
        }
    }

    private static AllowEntry subject(String pattern, int line) throws ProfileProblem {
        try {
            new X500Principal(pattern);
        } catch (IllegalArgumentException e) {
            throw new ProfileProblem(line, "allow.subject '" + pattern + "' is not a distinguished name (write it"
                    + " as in \"CN=bot-client,O=acme\")");
        }
        return new AllowEntry(AllowEntry.Kind.SUBJECT, pattern);
    }

    /** An absolute URI; a {@code *} only as the last character, matching any rest. */
    private static AllowEntry uri(String pattern, String field, int line) throws ProfileProblem {
        int star = pattern.indexOf('*');
        if (star >= 0 && star != pattern.length() - 1) {
            throw new ProfileProblem(line, field + " '" + pattern + "' may have '*' only as its last character");
        }
        String fixed = star < 0 ? pattern : pattern.substring(0, star);
        try {
            if (!new URI(fixed).isAbsolute()) {
                throw new ProfileProblem(line, field + " '" + pattern + "' is not an absolute URI (it needs a"
                        + " scheme, as in spiffe://example.org/bots/*)");
            }
        } catch (URISyntaxException e) {
            throw new ProfileProblem(line, field + " '" + pattern + "' is not a valid URI: " + e.getReason());
        }
        return new AllowEntry(AllowEntry.Kind.URI, pattern);
    }

    /**
     * A listener that failed to read, kept for its ports so that its handshakes fail closed (see
     * {@link ListenerDefinition#unreadable}); null when its ports cannot be read. Its clientAuth
     * is mandatory unless {@code clientAuth} reads as something else: an error never weakens a
     * listener, and a missing clientAuth may be a misspelt one.
     */
    private ListenerDefinition unreadable(String label, Node entry, ProfileProblem problem) {
        if (!(entry instanceof MappingNode)) {
            return null;
        }
        MappingNode mapping = (MappingNode) entry;
        List<Integer> ports = List.of();
        ClientAuth clientAuth = ClientAuth.MANDATORY;
        for (NodeTuple tuple : mapping.getValue()) {
            if (isKey(tuple, "ports")) {
                try {
                    ports = ports(tuple);
                } catch (ProfileProblem unreadablePorts) {
                    return null;
                }
            } else if (isKey(tuple, "clientAuth") && tuple.getValueNode() instanceof ScalarNode
                    && !isNull(tuple.getValueNode())) {
                ClientAuth written = ClientAuth.parse(((ScalarNode) tuple.getValueNode()).getValue());
                clientAuth = written != null ? written : ClientAuth.MANDATORY;
            }
        }
        return ListenerDefinition.unreadable(label, ports, clientAuth, line(mapping),
                ProfileError.ofFile(file, problem.line(), problem.getMessage()).toString());
    }
}
