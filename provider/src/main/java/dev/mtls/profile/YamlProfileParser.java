package dev.mtls.profile;

import static dev.mtls.profile.YamlNodes.bool;
import static dev.mtls.profile.YamlNodes.duration;
import static dev.mtls.profile.YamlNodes.hasKey;
import static dev.mtls.profile.YamlNodes.isKey;
import static dev.mtls.profile.YamlNodes.isNull;
import static dev.mtls.profile.YamlNodes.kind;
import static dev.mtls.profile.YamlNodes.line;
import static dev.mtls.profile.YamlNodes.mapping;
import static dev.mtls.profile.YamlNodes.string;

import dev.mtls.profile.YamlNodes.Fields;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The native format ({@code version: 1}). Walks SnakeYAML Engine's node tree rather than loading
 * Java objects: nothing is constructed from tags, and every node keeps the line it came from.
 * Aliases are not expanded by the composer (the tree shares nodes), and more than
 * {@link #MAX_ALIASES} of them for lists or mappings fails the file before any walking.
 */
final class YamlProfileParser {
    static final int MAX_ALIASES = 50;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern VERSION_LINE = Pattern.compile("(?m)^[\"']?version[\"']?\\s*:");
    private static final List<String> TOP_FIELDS = List.of("version", "reload", "profiles", "listeners");
    private static final List<String> PROFILE_FIELDS =
            List.of("name", "hosts", "mode", "identity", "trust", "verifyHostname", "tls");
    private static final List<String> IDENTITY_FIELDS =
            List.of("certificate", "key", "keyPassword", "keystore", "storeType", "storePassword", "alias", "pkcs11");
    private static final List<String> PKCS11_FIELDS = List.of("library", "token", "slot", "pin", "key");
    /** Policy fields, to name where they belong when written one level off. */
    private static final List<String> TRUST_CHECKS = List.of("revocation", "serverNames", "pins");
    private static final List<String> TLS_SETTINGS = List.of("minVersion", "cipherSuites");
    private static final List<String> TRUST_FIELDS = List.of("certificates", "keystore", "storeType", "storePassword",
            "includeDefault", "revocation", "serverNames", "pins");

    private final Path file;
    private final ValueResolver values;
    private YamlPolicyParser policy;

    YamlProfileParser(Path file, ValueResolver values) {
        this.file = file;
        this.values = values;
    }

    /** Made at the first policy field: a file without any loads none of its classes (first TLS call). */
    private YamlPolicyParser policy() {
        if (policy == null) {
            policy = new YamlPolicyParser(values);
        }
        return policy;
    }

    ProfileDocument parse(String text) throws ProfileFileException {
        Node root = compose(text);
        if (!(root instanceof MappingNode) || !hasKey((MappingNode) root, "version")
                && !hasKey((MappingNode) root, "profiles") && !hasKey((MappingNode) root, "listeners")) {
            throw fileError(0, ProfileFileReader.NEITHER);
        }
        try {
            Fields top = Fields.of((MappingNode) root, "");
            // Version first: a newer file's new fields should read as "unsupported version", not typos.
            NodeTuple version = top.get("version");
            if (version == null) {
                throw new ProfileProblem(line(root), "missing field 'version' (this agent reads version: 1)");
            }
            String versionText = string(version, "version");
            if (!versionText.equals("1")) {
                throw new ProfileProblem(line(version.getValueNode()),
                        "unsupported version '" + versionText + "' (this agent reads version: 1)");
            }
            NodeTuple profiles = top.get("profiles");
            NodeTuple listeners = top.get("listeners");
            if (profiles == null && listeners == null) {
                throw new ProfileProblem(line(root), "missing field 'profiles' (a list of profiles) or 'listeners'"
                        + " (a list of listeners)");
            }
            // A typo in a top-level field or a bad reload interval is reported, but must not drop
            // every profile at start (their hosts would connect without certificates): the
            // profiles load, and the reload interval stays the default.
            List<ProfileError> errors = new ArrayList<>();
            Duration reload = null;
            try {
                top.rejectUnknown(TOP_FIELDS, "unknown top-level field");
            } catch (ProfileProblem problem) {
                errors.add(ProfileError.ofFile(file, problem.line(), problem.getMessage()));
            }
            try {
                reload = top.has("reload") ? duration(top.get("reload")) : null;
            } catch (ProfileProblem problem) {
                errors.add(ProfileError.ofFile(file, problem.line(), problem.getMessage()
                        + "; the default interval applies until it is fixed"));
            }
            List<ProfileDefinition> definitions = profiles == null ? new ArrayList<>()
                    : profiles(profiles.getValueNode(), errors);
            // No listener parser for a file without listeners: this runs in the first TLS call.
            List<ListenerDefinition> listenerDefinitions = listeners == null ? List.of()
                    : new YamlListenerParser(file, values, this).listeners(listeners.getValueNode(), errors);
            return new ProfileDocument(file, ProfileDocument.Format.YAML, reload, definitions, listenerDefinitions,
                    errors);
        } catch (ProfileProblem problem) {
            throw fileError(problem.line(), problem.getMessage());
        }
    }

    private Node compose(String text) throws ProfileFileException {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(String.valueOf(file.getFileName()))
                .setSchema(new CoreSchema())
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowRecursiveKeys(false)
                .setAllowDuplicateKeys(false)
                .setCodePointLimit(ProfileFileReader.MAX_FILE_BYTES)
                .setUseMarks(true)
                .build();
        try {
            return new Compose(settings).composeString(text).orElse(null);
        } catch (YamlEngineException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("Number of aliases")) {
                throw fileError(0, "more than " + MAX_ALIASES + " YAML aliases to lists or mappings; refusing to"
                        + " expand them (a 'billion laughs' file?)");
            }
            if (!VERSION_LINE.matcher(text).find()) {
                throw fileError(0, ProfileFileReader.NEITHER);
            }
            // Never e.getMessage(), nor its problem or context text: they quote the file at the
            // error, which may be a password (see ParserMessages).
            int line = 0;
            if (e instanceof MarkedYamlEngineException) {
                Optional<Mark> mark = ((MarkedYamlEngineException) e).getProblemMark();
                line = mark.isPresent() ? mark.get().getLine() + 1 : 0;
            }
            throw fileError(line, ParserMessages.yaml(message, line, text, allFields()));
        } catch (StackOverflowError e) {
            // The composer recurses once per nesting level; no profile file nests more than a few.
            throw fileError(0, "not valid YAML: lists or mappings nested too deeply");
        }
    }

    /** @param errors the file's top-level problems so far; the profiles' own are added */
    private List<ProfileDefinition> profiles(Node profilesNode, List<ProfileError> errors) throws ProfileProblem {
        List<ProfileDefinition> profiles = new ArrayList<>();
        if (isNull(profilesNode)) {
            return profiles;
        }
        if (!(profilesNode instanceof SequenceNode)) {
            throw new ProfileProblem(line(profilesNode), "profiles must be a list, not " + kind(profilesNode));
        }
        Map<String, Integer> firstLines = new HashMap<>();
        List<Node> entries = ((SequenceNode) profilesNode).getValue();
        for (int i = 0; i < entries.size(); i++) {
            Node entry = entries.get(i);
            String label = "#" + (i + 1);
            try {
                if (!(entry instanceof MappingNode)) {
                    throw new ProfileProblem(line(entry), "a profile must be a mapping (name, hosts, identity, …),"
                            + " not " + kind(entry));
                }
                MappingNode mapping = (MappingNode) entry;
                String name = name(mapping);
                Integer first = firstLines.putIfAbsent(name, line(mapping));
                if (first != null) {
                    // Kept for its hosts under a name of its own: names in a snapshot are unique.
                    label = name + label;
                    throw new ProfileProblem(line(mapping),
                            "duplicate profile name '" + name + "' (first defined at line " + first + ")");
                }
                label = name;
                profiles.add(profile(name, mapping));
            } catch (ProfileProblem problem) {
                errors.add(new ProfileError(file, label, problem.line(), problem.getMessage()));
                ProfileDefinition unreadable = unreadable(label, entry, problem);
                if (unreadable != null) {
                    profiles.add(unreadable);
                }
            }
        }
        return profiles;
    }

    /**
     * A profile that failed to read, kept for whichever of its hosts can be read so that they fail
     * closed (see {@link ProfileDefinition#unreadable}); null when no host can be read. Its mode
     * is mandatory unless {@code mode} reads as optional: an error never weakens a profile.
     */
    private ProfileDefinition unreadable(String label, Node entry, ProfileProblem problem) {
        if (!(entry instanceof MappingNode)) {
            return null;
        }
        MappingNode mapping = (MappingNode) entry;
        List<String> hosts = new ArrayList<>();
        Mode mode = Mode.MANDATORY;
        for (NodeTuple tuple : mapping.getValue()) {
            Node value = tuple.getValueNode();
            if (isKey(tuple, "hosts")) {
                List<Node> items = value instanceof SequenceNode ? ((SequenceNode) value).getValue() : List.of(value);
                for (Node item : items) {
                    if (item instanceof ScalarNode && !isNull(item) && !((ScalarNode) item).getValue().isBlank()) {
                        hosts.add(((ScalarNode) item).getValue());
                    }
                }
            } else if (isKey(tuple, "mode") && value instanceof ScalarNode
                    && Mode.parse(((ScalarNode) value).getValue()) == Mode.OPTIONAL) {
                mode = Mode.OPTIONAL;
            }
        }
        if (hosts.isEmpty()) {
            return null;
        }
        // A broken tls block (or a policy field written beside trust or tls rather than in it) counts
        // as a broken trust section: they only ever restrict the handshake, so even an optional
        // profile must not go ahead without them.
        boolean restricts = hasKey(mapping, "trust") || hasKey(mapping, "tls");
        for (NodeTuple tuple : mapping.getValue()) {
            Node key = tuple.getKeyNode();
            restricts |= key instanceof ScalarNode && (TRUST_CHECKS.contains(((ScalarNode) key).getValue())
                    || TLS_SETTINGS.contains(((ScalarNode) key).getValue()));
        }
        return ProfileDefinition.unreadable(label, hosts, mode, restricts, line(mapping),
                ProfileError.ofFile(file, problem.line(), problem.getMessage()).toString());
    }

    /** The {@code name} of a profile or listener. */
    static String name(MappingNode mapping) throws ProfileProblem {
        for (NodeTuple tuple : mapping.getValue()) {
            if (isKey(tuple, "name")) {
                String name = string(tuple, "name");
                if (!NAME.matcher(name).matches()) {
                    throw new ProfileProblem(line(tuple.getValueNode()),
                            "name '" + name + "' may only contain letters, digits, '.', '_' and '-'");
                }
                return name;
            }
        }
        throw new ProfileProblem(line(mapping), "missing field 'name'");
    }

    private ProfileDefinition profile(String name, MappingNode mapping) throws ProfileProblem {
        Fields fields = Fields.of(mapping, "");
        rejectMisplaced(fields, TRUST_CHECKS, "trust");
        rejectMisplaced(fields, TLS_SETTINGS, "tls");
        fields.rejectUnknown(PROFILE_FIELDS, "unknown field");
        List<String> hosts = hosts(fields.require("hosts", mapping));
        Mode mode = Mode.MANDATORY;
        if (fields.has("mode")) {
            NodeTuple tuple = fields.get("mode");
            String text = values.plain(string(tuple, "mode"), "mode", line(tuple.getValueNode()));
            mode = Mode.parse(text);
            if (mode == null) {
                throw new ProfileProblem(line(tuple.getValueNode()),
                        "mode must be mandatory or optional, not '" + text + "'");
            }
        }
        IdentitySpec identity = fields.written("identity") ? identity(fields.get("identity")) : null;
        TrustSpec trust = fields.written("trust") ? trust(fields.get("trust"), false) : null;
        TlsSpec tls = fields.written("tls") ? policy().tls(fields.get("tls")) : null;
        boolean verifyHostname = fields.has("verifyHostname") && bool(fields.get("verifyHostname"), "verifyHostname");
        if (identity == null && trust == null) {
            throw new ProfileProblem(line(mapping), "a profile needs identity, trust or both");
        }
        return new ProfileDefinition(name, hosts, mode, identity, trust, tls, verifyHostname, line(mapping));
    }

    private List<String> hosts(NodeTuple tuple) throws ProfileProblem {
        Node value = tuple.getValueNode();
        if (isNull(value)) {
            throw new ProfileProblem(line(value), "hosts has no value");
        }
        if (value instanceof ScalarNode) {
            return List.of(host(value));
        }
        if (!(value instanceof SequenceNode)) {
            throw new ProfileProblem(line(value), "hosts must be a list of strings, not " + kind(value));
        }
        List<String> hosts = new ArrayList<>();
        for (Node item : ((SequenceNode) value).getValue()) {
            if (!(item instanceof ScalarNode)) {
                throw new ProfileProblem(line(item), "hosts must be a list of strings, not a list containing "
                        + kind(item));
            }
            hosts.add(host(item));
        }
        if (hosts.isEmpty()) {
            throw new ProfileProblem(line(value), "hosts is empty");
        }
        return hosts;
    }

    private String host(Node node) throws ProfileProblem {
        if (isNull(node)) {
            throw new ProfileProblem(line(node), "hosts has an empty entry");
        }
        String host = values.plain(((ScalarNode) node).getValue(), "hosts", line(node));
        if (host.isBlank()) {
            throw new ProfileProblem(line(node), "hosts has an empty entry");
        }
        return host;
    }

    /** A profile's or listener's {@code identity} block. */
    IdentitySpec identity(NodeTuple tuple) throws ProfileProblem {
        MappingNode mapping = mapping(tuple, "identity", "certificate and key, keystore, or pkcs11");
        Fields fields = Fields.of(mapping, " in identity");
        fields.rejectUnknown(IDENTITY_FIELDS, "unknown field");
        if (fields.written("pkcs11")) {
            return pkcs11Identity(mapping, fields);
        }
        boolean pem = fields.has("certificate") || fields.has("key");
        boolean store = fields.has("keystore") || fields.has("storeType") || fields.has("storePassword")
                || fields.has("alias");
        if (pem && store) {
            throw new ProfileProblem(line(mapping), "identity mixes certificate/key with keystore fields; use"
                    + " certificate and key, or keystore (with storeType, storePassword, alias)");
        }
        if (!pem && !fields.has("keystore")) {
            throw new ProfileProblem(line(mapping), store ? "identity has keystore settings but no keystore"
                    : "identity needs certificate and key, keystore, or pkcs11");
        }
        if (pem) {
            if (!fields.has("certificate")) {
                throw new ProfileProblem(line(mapping), "identity has a key but no certificate");
            }
            if (!fields.has("key")) {
                throw new ProfileProblem(line(mapping), "identity has a certificate but no key");
            }
            return IdentitySpec.pem(path(fields.get("certificate"), "identity.certificate"),
                    path(fields.get("key"), "identity.key"),
                    optionalSecret(fields, "keyPassword", "identity.keyPassword"));
        }
        return IdentitySpec.keyStore(path(fields.get("keystore"), "identity.keystore"),
                optionalString(fields, "storeType", "identity.storeType"),
                optionalSecret(fields, "storePassword", "identity.storePassword"),
                optionalSecret(fields, "keyPassword", "identity.keyPassword"),
                optionalString(fields, "alias", "identity.alias"));
    }

    /**
     * {@code identity.pkcs11}: the key in a token; beside it only {@code certificate} (a chain file
     * used instead of the token's certificates).
     */
    private IdentitySpec pkcs11Identity(MappingNode identity, Fields fields) throws ProfileProblem {
        for (String other : List.of("key", "keyPassword", "keystore", "storeType", "storePassword", "alias")) {
            if (fields.written(other)) {
                throw new ProfileProblem(line(fields.get(other).getKeyNode()), "identity mixes pkcs11 with " + other
                        + "; a token identity takes only pkcs11 (library, token or slot, pin, key) and optionally"
                        + " certificate");
            }
        }
        MappingNode mapping = mapping(fields.get("pkcs11"), "identity.pkcs11", "library, token or slot, pin, key");
        Fields token = Fields.of(mapping, " in identity.pkcs11");
        token.rejectUnknown(PKCS11_FIELDS, "unknown field");
        for (String required : List.of("library", "pin", "key")) {
            if (!token.has(required)) {
                throw new ProfileProblem(line(mapping), "identity.pkcs11 needs " + required
                        + " (library, token or slot, pin, key)");
            }
        }
        if (token.has("token") == token.has("slot")) {
            throw new ProfileProblem(line(mapping), token.has("token")
                    ? "identity.pkcs11 has both token and slot; name the token by one of them"
                    : "identity.pkcs11 needs token (the token's label) or slot (the slot ID)");
        }
        Path library = path(token.get("library"), "identity.pkcs11.library");
        Secret pin = optionalSecret(token, "pin", "identity.pkcs11.pin");
        String label = optionalString(token, "key", "identity.pkcs11.key");
        Path certificate = fields.has("certificate") ? path(fields.get("certificate"), "identity.certificate") : null;
        if (token.has("token")) {
            return IdentitySpec.pkcs11(Pkcs11Key.inToken(library,
                    optionalString(token, "token", "identity.pkcs11.token"), pin, label), certificate);
        }
        return IdentitySpec.pkcs11(Pkcs11Key.inSlot(library, slot(token.get("slot")), pin, label), certificate);
    }

    private long slot(NodeTuple tuple) throws ProfileProblem {
        String text = values.plain(string(tuple, "identity.pkcs11.slot"), "identity.pkcs11.slot",
                line(tuple.getValueNode())).trim();
        try {
            long slot = Long.parseLong(text);
            if (slot >= 0) {
                return slot;
            }
        } catch (NumberFormatException e) {
            // Reported below with the value.
        }
        throw new ProfileProblem(line(tuple.getValueNode()), "identity.pkcs11.slot must be a slot ID (a number"
                + " such as 0, as softhsm2-util --show-slots or pkcs11-tool -L prints it), not '" + text + "'");
    }

    /**
     * A profile's or listener's {@code trust} block: the CAs (certificates or keystore), and the
     * checks beyond the chain (docs/POLICY.md). A profile's block may leave the CAs out when it has
     * a check: the application's trust then decides the chain. A listener's may not (its clients'
     * CAs are what it is for), and takes only revocation of the checks.
     */
    TrustSpec trust(NodeTuple tuple, boolean listener) throws ProfileProblem {
        MappingNode mapping = mapping(tuple, "trust", "certificates or keystore");
        Fields fields = Fields.of(mapping, " in trust");
        if (!listener) {
            rejectMisplaced(fields, TLS_SETTINGS, "the profile's tls block");
        }
        fields.rejectUnknown(TRUST_FIELDS, "unknown field");
        boolean store = fields.has("keystore") || fields.has("storeType") || fields.has("storePassword");
        boolean includeDefault = fields.has("includeDefault")
                && bool(fields.get("includeDefault"), "trust.includeDefault");
        if (fields.has("certificates") && store) {
            throw new ProfileProblem(line(mapping), "trust mixes certificates with keystore fields; use"
                    + " certificates, or keystore (with storeType, storePassword)");
        }
        if (listener) {
            for (String check : List.of("serverNames", "pins")) {
                if (fields.written(check)) {
                    throw new ProfileProblem(line(fields.get(check).getKeyNode()), "trust." + check + " is for"
                            + " profiles (the server's certificate); a listener names the client certificates it"
                            + " accepts in allow, as in '- dns: \"*.bots.example.com\"'");
                }
            }
        }
        RevocationSpec revocation = fields.written("revocation") ? policy().revocation(fields.get("revocation")) : null;
        List<String> serverNames = fields.written("serverNames") ? policy().serverNames(fields.get("serverNames"))
                : List.of();
        List<String> pins = fields.written("pins") ? policy().pins(fields.get("pins")) : List.of();
        boolean checks = revocation != null || !serverNames.isEmpty() || !pins.isEmpty();
        TrustSpec anchors;
        if (fields.has("certificates")) {
            anchors = TrustSpec.pem(path(fields.get("certificates"), "trust.certificates"), includeDefault);
        } else if (fields.has("keystore")) {
            anchors = TrustSpec.keyStore(path(fields.get("keystore"), "trust.keystore"),
                    optionalString(fields, "storeType", "trust.storeType"),
                    optionalSecret(fields, "storePassword", "trust.storePassword"),
                    includeDefault);
        } else if (store) {
            throw new ProfileProblem(line(mapping), "trust has keystore settings but no keystore");
        } else if (listener) {
            throw new ProfileProblem(line(mapping), "trust needs certificates or keystore (the CAs client"
                    + " certificates must chain to)");
        } else if (!checks) {
            throw new ProfileProblem(line(mapping), "trust needs certificates or keystore (the CAs), or, to keep"
                    + " the application's trust for the chain, at least one of revocation, serverNames, pins");
        } else if (fields.has("includeDefault")) {
            throw new ProfileProblem(line(fields.get("includeDefault").getKeyNode()), "trust.includeDefault needs"
                    + " certificates or keystore; without them the application's trust decides the chain as it"
                    + " is, so remove includeDefault");
        } else {
            anchors = TrustSpec.applicationTrust();
        }
        return checks ? anchors.withChecks(revocation, serverNames, pins) : anchors;
    }

    /**
     * A policy field written one level off (a profile's {@code pins} beside {@code trust} rather
     * than in it) is named with where it belongs: the suggestion for a typo would not find it.
     */
    private static void rejectMisplaced(Fields fields, List<String> names, String home) throws ProfileProblem {
        for (String name : names) {
            NodeTuple tuple = fields.get(name);
            if (tuple != null) {
                throw new ProfileProblem(line(tuple.getKeyNode()), "unknown field '" + name + "' here; it belongs in "
                        + home + " (docs/POLICY.md)");
            }
        }
    }

    private Path path(NodeTuple tuple, String field) throws ProfileProblem {
        return values.path(string(tuple, field), field, line(tuple.getValueNode()));
    }

    private String optionalString(Fields fields, String key, String field) throws ProfileProblem {
        if (!fields.has(key)) {
            return null;
        }
        NodeTuple tuple = fields.get(key);
        String text = values.plain(string(tuple, field), field, line(tuple.getValueNode()));
        if (text.isBlank()) {
            throw new ProfileProblem(line(tuple.getValueNode()), field + " is empty");
        }
        return text;
    }

    private Secret optionalSecret(Fields fields, String key, String field) throws ProfileProblem {
        if (!fields.has(key)) {
            return null;
        }
        NodeTuple tuple = fields.get(key);
        return values.secret(string(tuple, field), field, line(tuple.getValueNode()));
    }

    /** Every field name the format knows, for naming the field of a syntax error; built only then. */
    private static List<String> allFields() {
        List<String> all = new ArrayList<>(TOP_FIELDS);
        all.addAll(PROFILE_FIELDS);
        all.addAll(IDENTITY_FIELDS);
        all.addAll(PKCS11_FIELDS);
        all.addAll(TRUST_FIELDS);
        all.addAll(YamlPolicyParser.REVOCATION_FIELDS);
        all.addAll(YamlPolicyParser.TLS_FIELDS);
        all.addAll(YamlListenerParser.LISTENER_FIELDS);
        all.addAll(YamlListenerParser.ALLOW_KEYS);
        return List.copyOf(all);
    }

    private ProfileFileException fileError(int line, String message) {
        return new ProfileFileException(ProfileError.ofFile(file, line, message));
    }
}
