package dev.mtls.profile;

import static dev.mtls.profile.YamlNodes.bool;
import static dev.mtls.profile.YamlNodes.isNull;
import static dev.mtls.profile.YamlNodes.kind;
import static dev.mtls.profile.YamlNodes.line;
import static dev.mtls.profile.YamlNodes.mapping;
import static dev.mtls.profile.YamlNodes.string;

import dev.mtls.profile.YamlNodes.Fields;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The per-upstream policy fields of the native format (docs/POLICY.md): {@code trust.revocation},
 * {@code trust.serverNames}, {@code trust.pins} and a profile's {@code tls} block. Each value is
 * checked for its form here, with its line; nothing here creates an SSLContext or reads a file
 * (this runs in the first TLS call). A server name's host rules (IDN, label syntax) are the
 * {@code match} package's, which this package may not use: {@code ProfileLoader} applies them.
 */
final class YamlPolicyParser {
    static final List<String> REVOCATION_FIELDS = List.of("crl", "ocsp", "ocspResponder", "onUnknown", "scope");
    static final List<String> TLS_FIELDS = List.of("minVersion", "cipherSuites");
    static final String PIN_PREFIX = "sha256/";
    private static final int PIN_BYTES = 32;
    private static final String PIN_FORM = "write sha256/ and the standard base64 of the SHA-256 of the"
            + " certificate's public key (SubjectPublicKeyInfo), 44 characters, as in"
            + " sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= (docs/POLICY.md shows the openssl command)";
    private static final List<String> MIN_VERSIONS = List.of("TLSv1.2", "TLSv1.3");
    private static final Pattern SUITE = Pattern.compile("TLS_[A-Z0-9_]+");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
    /** Only what an IPv6 (or IPv4-mapped) literal is made of: left to the host rules, never read as a URI. */
    private static final Pattern IPV6_LIKE = Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?");
    private static final String WILDCARD_RULE = "a wildcard must be the whole leftmost label, as in *.example.com";

    private final ValueResolver values;

    YamlPolicyParser(ValueResolver values) {
        this.values = values;
    }

    /** {@code trust.revocation}: at least one source, crl or ocsp. */
    RevocationSpec revocation(NodeTuple tuple) throws ProfileProblem {
        MappingNode mapping = mapping(tuple, "trust.revocation", "crl, ocsp or both");
        Fields fields = Fields.of(mapping, " in trust.revocation");
        fields.rejectUnknown(REVOCATION_FIELDS, "unknown field");
        List<Path> crls = new ArrayList<>();
        if (fields.has("crl")) {
            for (Node item : strings(fields.get("crl"), "trust.revocation.crl", "a CRL file or a list of them")) {
                Path crl = values.path(((ScalarNode) item).getValue(), "trust.revocation.crl", line(item));
                if (!crls.contains(crl)) {
                    crls.add(crl);
                }
            }
        }
        boolean ocspWritten = fields.has("ocsp");
        boolean ocsp = ocspWritten && bool(fields.get("ocsp"), "trust.revocation.ocsp");
        URI responder = fields.has("ocspResponder") ? responder(fields.get("ocspResponder")) : null;
        if (responder != null && ocspWritten && !ocsp) {
            throw new ProfileProblem(line(fields.get("ocspResponder").getKeyNode()), "trust.revocation.ocspResponder"
                    + " is set but ocsp is false; remove ocspResponder, or set ocsp: true to ask it");
        }
        if (crls.isEmpty() && !ocsp && responder == null) {
            throw new ProfileProblem(line(mapping), "trust.revocation needs crl, ocsp: true or both (a revocation"
                    + " block without a source would check nothing)");
        }
        RevocationSpec.OnUnknown onUnknown = RevocationSpec.OnUnknown.FAIL;
        if (fields.has("onUnknown")) {
            onUnknown = choice(fields.get("onUnknown"), "trust.revocation.onUnknown", RevocationSpec.OnUnknown.values(),
                    "fail (the default) or allow");
        }
        RevocationSpec.Scope scope = RevocationSpec.Scope.LEAF;
        if (fields.has("scope")) {
            scope = choice(fields.get("scope"), "trust.revocation.scope", RevocationSpec.Scope.values(),
                    "leaf (the default) or chain");
        }
        return new RevocationSpec(crls, ocsp, responder, onUnknown, scope);
    }

    /**
     * An absolute {@code http://} URL. Not https: the call would need a TLS handshake of its own,
     * whose trust (and revocation) is exactly what is being decided; OCSP answers are signed, so
     * plain HTTP loses nothing. No user info: the URL is printed by {@code check} and in messages.
     */
    private URI responder(NodeTuple tuple) throws ProfileProblem {
        int line = line(tuple.getValueNode());
        String text = values.plain(string(tuple, "trust.revocation.ocspResponder"), "trust.revocation.ocspResponder",
                line).strip();
        if (hasUserInfo(text)) {
            // Before any message quotes the URL: what precedes '@' may be a password.
            throw new ProfileProblem(line, "trust.revocation.ocspResponder must not carry a user name or password"
                    + " (the URL is shown by check and in messages)");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ProfileProblem(line, "trust.revocation.ocspResponder '" + text + "' is not a valid URL: "
                    + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            throw new ProfileProblem(line, "trust.revocation.ocspResponder '" + text + "' must be an http:// URL, not"
                    + " https://: the responder call must not itself need TLS (its trust is what is being decided),"
                    + " and OCSP answers are signed, so plain HTTP is how responders are reached");
        }
        if (!scheme.equals("http") || uri.getHost() == null) {
            throw new ProfileProblem(line, "trust.revocation.ocspResponder '" + text + "' must be an absolute http://"
                    + " URL with a host, as in http://ocsp.internal:8080");
        }
        return uri;
    }

    /** An '@' in the authority (between "//" and the path), whether or not the rest parses. */
    private static boolean hasUserInfo(String url) {
        int start = url.indexOf("//");
        if (start < 0) {
            return false;
        }
        int end = url.indexOf('/', start + 2);
        return url.substring(start + 2, end < 0 ? url.length() : end).indexOf('@') >= 0;
    }

    /** {@code trust.serverNames}: each entry's form; the host rules are applied when the profile loads. */
    List<String> serverNames(NodeTuple tuple) throws ProfileProblem {
        List<String> names = new ArrayList<>();
        for (Node item : strings(tuple, "trust.serverNames",
                "a list of DNS names, IP addresses or URIs the server's certificate must carry one of")) {
            String name = values.plain(((ScalarNode) item).getValue(), "trust.serverNames", line(item)).strip();
            String problem = serverNameProblem(name);
            if (problem != null) {
                throw new ProfileProblem(line(item), "trust.serverNames '" + name + "': " + problem);
            }
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * What is wrong with a server name's form, or null. A URI is anything with a scheme and a
     * colon that is not an IPv6 literal nor {@code host:port}; DNS names and addresses are
     * checked here for what needs no host rules (whitespace, wildcard placement, a port).
     */
    static String serverNameProblem(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (Character.isWhitespace(name.charAt(i))) {
                return "contains whitespace";
            }
        }
        if (IPV6_LIKE.matcher(name).matches()) {
            return null;
        }
        if (name.startsWith("[") && name.indexOf("]:") > 0) {
            return "takes no port (a certificate names hosts, not ports)";
        }
        int colon = name.indexOf(':');
        if (colon > 0 && SCHEME.matcher(name.substring(0, colon)).matches()) {
            String rest = name.substring(colon + 1);
            if (!rest.isEmpty() && allDigits(rest)) {
                return "takes no port (a certificate names hosts, not ports)";
            }
            if (name.indexOf('*') >= 0) {
                return "a URI is compared exactly and takes no '*' (list each URI)";
            }
            try {
                new URI(name);
            } catch (URISyntaxException e) {
                return "is not a valid URI: " + e.getReason();
            }
            return null;
        }
        if (colon >= 0) {
            return "is not a DNS name, an IP address or a URI with a scheme (as in spiffe://example.org/payments)";
        }
        int star = name.indexOf('*');
        if (star >= 0 && (star != 0 || name.length() < 3 || name.charAt(1) != '.' || name.indexOf('*', 1) >= 0)) {
            return WILDCARD_RULE;
        }
        return null;
    }

    /** {@code trust.pins}: {@code sha256/} and the standard base64 of 32 bytes. */
    List<String> pins(NodeTuple tuple) throws ProfileProblem {
        List<String> pins = new ArrayList<>();
        for (Node item : strings(tuple, "trust.pins", "a list of sha256/… pins")) {
            String pin = values.plain(((ScalarNode) item).getValue(), "trust.pins", line(item)).strip();
            if (!isPin(pin)) {
                throw new ProfileProblem(line(item), "trust.pins '" + pin + "' is not a pin: " + PIN_FORM);
            }
            if (!pins.contains(pin)) {
                pins.add(pin);
            }
        }
        return pins;
    }

    private static boolean isPin(String pin) {
        if (!pin.startsWith(PIN_PREFIX)) {
            return false;
        }
        String encoded = pin.substring(PIN_PREFIX.length());
        // The decoder accepts a missing '=' but not the URL-safe alphabet ('-', '_'): pins are standard base64.
        try {
            return Base64.getDecoder().decode(encoded).length == PIN_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A profile's {@code tls} block. */
    TlsSpec tls(NodeTuple tuple) throws ProfileProblem {
        MappingNode mapping = mapping(tuple, "tls", "minVersion, cipherSuites or both");
        Fields fields = Fields.of(mapping, " in tls");
        fields.rejectUnknown(TLS_FIELDS, "unknown field");
        String minVersion = fields.has("minVersion") ? minVersion(fields.get("minVersion")) : null;
        List<String> suites = new ArrayList<>();
        if (fields.has("cipherSuites")) {
            for (Node item : strings(fields.get("cipherSuites"), "tls.cipherSuites", "a list of cipher suite names")) {
                String suite = values.plain(((ScalarNode) item).getValue(), "tls.cipherSuites", line(item)).strip();
                if (!SUITE.matcher(suite).matches()) {
                    throw new ProfileProblem(line(item), "tls.cipherSuites '" + suite + "' is not a cipher suite name:"
                            + " write the standard (IANA) name the JDK uses, as in TLS_AES_128_GCM_SHA256 or"
                            + " TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
                }
                if (!suites.contains(suite)) {
                    suites.add(suite);
                }
            }
        }
        if (minVersion == null && suites.isEmpty()) {
            throw new ProfileProblem(line(mapping), "tls needs minVersion, cipherSuites or both");
        }
        return new TlsSpec(minVersion, suites);
    }

    /**
     * TLSv1.2 or TLSv1.3, in any case. TLSv1 and TLSv1.1 are refused rather than accepted as a
     * floor: the JDK disables them by default, so as a minimum they would restrict nothing, and an
     * operator writing them likely expects them to be enabled, which this field never does.
     */
    private String minVersion(NodeTuple tuple) throws ProfileProblem {
        int line = line(tuple.getValueNode());
        String text = values.plain(string(tuple, "tls.minVersion"), "tls.minVersion", line).strip();
        for (String version : MIN_VERSIONS) {
            if (version.equalsIgnoreCase(text)) {
                return version;
            }
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals("tlsv1") || lower.equals("tlsv1.0") || lower.equals("tlsv1.1")) {
            throw new ProfileProblem(line, "tls.minVersion must be TLSv1.2 or TLSv1.3, not '" + text + "': a minimum"
                    + " only raises the floor, and the JDK already refuses TLSv1 and TLSv1.1 by default (leave"
                    + " minVersion out to keep the application's versions)");
        }
        throw new ProfileProblem(line, "tls.minVersion must be TLSv1.2 or TLSv1.3, not '" + text + "'");
    }

    private <E extends Enum<E>> E choice(NodeTuple tuple, String field, E[] choices, String expected)
            throws ProfileProblem {
        int line = line(tuple.getValueNode());
        String text = values.plain(string(tuple, field), field, line).strip();
        for (E choice : choices) {
            if (choice.name().equalsIgnoreCase(text)) {
                return choice;
            }
        }
        throw new ProfileProblem(line, field + " must be " + expected + ", not '" + text + "'");
    }

    /** One string or a list of them, as scalar nodes; none empty, the list not empty. */
    private static List<Node> strings(NodeTuple tuple, String field, String expected) throws ProfileProblem {
        Node value = tuple.getValueNode();
        if (isNull(value)) {
            throw new ProfileProblem(line(value), field + " has no value (expected " + expected + ")");
        }
        List<Node> items;
        if (value instanceof ScalarNode) {
            items = List.of(value);
        } else if (value instanceof SequenceNode) {
            items = ((SequenceNode) value).getValue();
        } else {
            throw new ProfileProblem(line(value), field + " must be " + expected + ", not " + kind(value));
        }
        if (items.isEmpty()) {
            throw new ProfileProblem(line(value), field + " is empty (leave it out for no such check)");
        }
        for (Node item : items) {
            if (!(item instanceof ScalarNode)) {
                throw new ProfileProblem(line(item), field + " must be " + expected + ", not a list containing "
                        + kind(item));
            }
            if (isNull(item) || ((ScalarNode) item).getValue().isBlank()) {
                throw new ProfileProblem(line(item), field + " has an empty entry");
            }
        }
        return items;
    }

    private static boolean allDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
