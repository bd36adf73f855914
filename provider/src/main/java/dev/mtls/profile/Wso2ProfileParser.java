package dev.mtls.profile;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * A WSO2 {@code customSSLProfiles} file, accepted as it is: every {@code <profile>} element under
 * any root, each with {@code <servers>}, {@code <KeyStore>} and {@code <TrustStore>}. Element
 * names compare case-insensitively because WSO2's own samples spell them differently. Lines are
 * not tracked (the DOM does not keep them); errors carry line 0.
 *
 * <p>WSO2 profiles have no names, so each is named after its first server: {@code *} becomes
 * {@code default}, any other character outside {@code [A-Za-z0-9._-]} becomes {@code _}
 * ({@code api.example.com:8443} is {@code api.example.com_8443}), and a name already taken gets
 * {@code -2}, {@code -3}, … in document order. Names follow the servers, not positions, so
 * inserting a profile does not rename the others on reload. A profile without servers is
 * reported as {@code #N}, its position among the profile elements.
 */
final class Wso2ProfileParser {
    private static final List<String> PROFILE_ELEMENTS = List.of("servers", "KeyStore", "TrustStore");
    private static final List<String> KEY_STORE_ELEMENTS = List.of("Location", "Type", "Password", "KeyPassword");
    private static final List<String> TRUST_STORE_ELEMENTS = List.of("Location", "Type", "Password");
    private static final List<String> KNOWN_ELEMENTS =
            List.of("profile", "servers", "KeyStore", "TrustStore", "Location", "Type", "Password", "KeyPassword");

    private final Path file;
    private final ValueResolver values;

    Wso2ProfileParser(Path file, ValueResolver values) {
        this.file = file;
        this.values = values;
    }

    ProfileDocument parse(byte[] content) throws ProfileFileException {
        Document document = parseXml(content);
        List<Element> profileElements = profileElements(document.getDocumentElement());
        if (profileElements.isEmpty()) {
            throw fileError(0, "no <profile> elements (expected a WSO2 customSSLProfiles file:"
                    + " <profile><servers>host:port</servers><KeyStore>…</KeyStore></profile>)");
        }
        List<ProfileDefinition> profiles = new ArrayList<>();
        List<ProfileError> errors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<String, Integer> nextSuffix = new HashMap<>();
        for (int i = 0; i < profileElements.size(); i++) {
            Element element = profileElements.get(i);
            String label = "#" + (i + 1);
            List<String> hosts = List.of();
            try {
                Element servers = firstChild(element, "servers");
                if (servers == null) {
                    throw new ProfileProblem(0, "profile has no <servers>");
                }
                hosts = hosts(values.plain(text(servers, "servers"), "servers", 0));
                label = uniqueName(hosts.get(0), names, nextSuffix);
                profiles.add(profile(label, hosts, element));
            } catch (ProfileProblem problem) {
                errors.add(new ProfileError(file, label, problem.line(), problem.getMessage()));
                if (!hosts.isEmpty()) {
                    // Kept for its hosts so that they fail closed (WSO2 profiles are always mandatory).
                    profiles.add(ProfileDefinition.unreadable(label, hosts, Mode.MANDATORY,
                            firstChild(element, "TrustStore") != null, 0,
                            ProfileError.ofFile(file, problem.line(), problem.getMessage()).toString()));
                }
            }
        }
        return new ProfileDocument(file, ProfileDocument.Format.WSO2_XML, null, profiles, errors);
    }

    private Document parseXml(byte[] content) throws ProfileFileException {
        DocumentBuilder builder;
        try {
            builder = secureFactory().newDocumentBuilder();
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            // Fail closed: never fall back to a parser that might resolve entities.
            throw fileError(0, "cannot read XML safely: this JVM's XML parser does not support " + e.getMessage());
        }
        builder.setErrorHandler(new QuietErrorHandler());
        // Unreachable with DOCTYPEs disallowed; kept so a change there cannot open the file system.
        builder.setEntityResolver((publicId, systemId) -> {
            throw new SAXException("external entities are not allowed");
        });
        int start = FormatDetector.start(content);
        try {
            return builder.parse(new InputSource(new ByteArrayInputStream(content, start, content.length - start)));
        } catch (SAXParseException e) {
            int line = e.getLineNumber() <= 0 ? 0 : e.getLineNumber() + newlines(content, start);
            if (new String(content, StandardCharsets.UTF_8).contains("<!DOCTYPE")) {
                throw fileError(line, "XML with a DOCTYPE is not allowed (no DTDs or entities in profile files)");
            }
            // Never the parser's own message: it quotes the text at the error (an entity name
            // inside a password, say); see ParserMessages.
            String text = new String(content, start, content.length - start, StandardCharsets.UTF_8);
            throw fileError(line, ParserMessages.xml(e.getMessage(), e.getLineNumber(), text, KNOWN_ELEMENTS));
        } catch (SAXException | IOException e) {
            throw fileError(0, ParserMessages.xml(e.getMessage(), 0, null, KNOWN_ELEMENTS));
        }
    }

    private static int newlines(byte[] content, int end) {
        int count = 0;
        for (int i = 0; i < end; i++) {
            if (content[i] == '\n') {
                count++;
            }
        }
        return count;
    }

    private static DocumentBuilderFactory secureFactory() throws ParserConfigurationException {
        // The JDK's own parser, not whatever the application put on the class path.
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setValidating(false);
        factory.setNamespaceAware(true);
        return factory;
    }

    /** Every {@code profile} element, in document order; walked without recursion. */
    private static List<Element> profileElements(Element root) {
        List<Element> found = new ArrayList<>();
        Deque<Element> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            Element element = pending.pop();
            if (nameOf(element).equalsIgnoreCase("profile")) {
                found.add(element);
                continue;
            }
            List<Element> children = childElements(element);
            for (int i = children.size() - 1; i >= 0; i--) {
                pending.push(children.get(i));
            }
        }
        return found;
    }

    private ProfileDefinition profile(String name, List<String> hosts, Element element) throws ProfileProblem {
        Map<String, Element> children = children(element, "profile", PROFILE_ELEMENTS);
        Element keyStore = children.get("keystore");
        Element trustStore = children.get("truststore");
        if (keyStore == null && trustStore == null) {
            throw new ProfileProblem(0, "profile has neither <KeyStore> nor <TrustStore>");
        }
        return new ProfileDefinition(name, hosts, Mode.MANDATORY, keyStore == null ? null : identity(keyStore),
                trustStore == null ? null : trust(trustStore), false, 0);
    }

    private IdentitySpec identity(Element keyStore) throws ProfileProblem {
        Map<String, Element> fields = children(keyStore, "KeyStore", KEY_STORE_ELEMENTS);
        return IdentitySpec.keyStore(location(fields, "KeyStore"), type(fields, "KeyStore"),
                secret(fields, "password", "KeyStore/Password"), secret(fields, "keypassword", "KeyStore/KeyPassword"),
                null);
    }

    private TrustSpec trust(Element trustStore) throws ProfileProblem {
        Map<String, Element> fields = children(trustStore, "TrustStore", TRUST_STORE_ELEMENTS);
        return TrustSpec.keyStore(location(fields, "TrustStore"), type(fields, "TrustStore"),
                secret(fields, "password", "TrustStore/Password"), false);
    }

    private Path location(Map<String, Element> fields, String store) throws ProfileProblem {
        Element location = fields.get("location");
        if (location == null) {
            throw new ProfileProblem(0, "<" + store + "> has no <Location>");
        }
        String field = store + "/Location";
        String text = text(location, field).trim();
        if (text.startsWith("${carbon.home}")) {
            // WSO2 expands this itself; here the home is the base option, as for relative locations.
            throw new ProfileProblem(0, "<" + field + "> starts with ${carbon.home}, which is not expanded: write"
                    + " the location relative to the API Manager's home and give the home as the base option");
        }
        return values.path(text, field, 0);
    }

    private String type(Map<String, Element> fields, String store) throws ProfileProblem {
        Element type = fields.get("type");
        if (type == null) {
            return null;
        }
        String field = store + "/Type";
        String text = values.plain(text(type, field).trim(), field, 0);
        return text.isEmpty() ? null : text;
    }

    /** Not trimmed: WSO2 reads passwords verbatim too. */
    private Secret secret(Map<String, Element> fields, String key, String field) throws ProfileProblem {
        Element element = fields.get(key);
        return element == null ? null : values.secret(text(element, field), field, 0);
    }

    private static List<String> hosts(String servers) throws ProfileProblem {
        List<String> hosts = new ArrayList<>();
        for (String server : servers.split(",")) {
            if (!server.isBlank()) {
                hosts.add(server.trim());
            }
        }
        if (hosts.isEmpty()) {
            throw new ProfileProblem(0, "<servers> is empty");
        }
        return hosts;
    }

    static String uniqueName(String firstServer, Set<String> taken) {
        return uniqueName(firstServer, taken, new HashMap<>());
    }

    /**
     * @param nextSuffix per base name, the first suffix not yet known to be taken: without it,
     *     10,000 profiles for one server would try 2, 3, … afresh each time (quadratic)
     */
    static String uniqueName(String firstServer, Set<String> taken, Map<String, Integer> nextSuffix) {
        String base;
        if (firstServer.equals("*")) {
            base = "default";
        } else {
            StringBuilder name = new StringBuilder(firstServer.length());
            for (char c : firstServer.toCharArray()) {
                boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
                        || c == '_' || c == '-';
                name.append(allowed ? c : '_');
            }
            base = name.toString();
        }
        if (taken.add(base)) {
            return base;
        }
        // Names are only ever added, so every suffix below the remembered one is still taken.
        int suffix = nextSuffix.getOrDefault(base, 2);
        while (!taken.add(base + "-" + suffix)) {
            suffix++;
        }
        nextSuffix.put(base, suffix + 1);
        return base + "-" + suffix;
    }

    /** Child elements by lower-case name; an unknown or repeated element is an error. */
    private static Map<String, Element> children(Element parent, String where, List<String> known)
            throws ProfileProblem {
        Map<String, Element> byName = new LinkedHashMap<>();
        for (Element child : childElements(parent)) {
            String name = nameOf(child);
            String canonical = canonical(name, known);
            if (canonical == null) {
                throw new ProfileProblem(0, "unknown element <" + name + "> in <" + where + ">"
                        + Suggestion.closest(name, known));
            }
            if (byName.putIfAbsent(canonical.toLowerCase(Locale.ROOT), child) != null) {
                throw new ProfileProblem(0, "<" + where + "> has more than one <" + canonical + ">");
            }
        }
        return byName;
    }

    private static String canonical(String name, List<String> known) {
        for (String candidate : known) {
            if (candidate.equalsIgnoreCase(name)) {
                return candidate;
            }
        }
        return null;
    }

    private static Element firstChild(Element parent, String name) {
        for (Element child : childElements(parent)) {
            if (nameOf(child).equalsIgnoreCase(name)) {
                return child;
            }
        }
        return null;
    }

    private static String text(Element element, String field) throws ProfileProblem {
        if (!childElements(element).isEmpty()) {
            throw new ProfileProblem(0, "<" + field + "> must contain text, not elements");
        }
        return element.getTextContent();
    }

    private static List<Element> childElements(Element parent) {
        List<Element> children = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.ELEMENT_NODE) {
                children.add((Element) child);
            }
        }
        return children;
    }

    private static String nameOf(Element element) {
        return element.getLocalName() != null ? element.getLocalName() : element.getNodeName();
    }

    private ProfileFileException fileError(int line, String message) {
        return new ProfileFileException(ProfileError.ofFile(file, line, message));
    }

    /** The JDK parser prints "[Fatal Error]" lines to stderr unless told otherwise. */
    private static final class QuietErrorHandler implements ErrorHandler {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    }
}
