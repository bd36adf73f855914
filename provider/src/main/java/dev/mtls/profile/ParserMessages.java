package dev.mtls.profile;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our own wording for SnakeYAML's and the JDK XML parser's errors. Their messages quote the text
 * they choke on ("found undefined alias s3cr3t" for an unquoted password that starts with
 * {@code *}, an entity name for one with {@code &}), and that text may be a password. So a
 * problem is recognised by the parser's fixed wording and described in ours, never quoted; what
 * is not recognised is reported as a bare syntax error. The field is named when the line holds a
 * field this format knows, so the operator still learns where to look.
 */
final class ParserMessages {
    /** Recognised by prefix, in this order; the first that matches describes the problem. */
    private static final String[][] YAML_PROBLEMS = {
        {"found undefined alias", "a value starting with '*' is read as a YAML alias (quote the value)"},
        {"expected alphabetic or numeric character", "a value starting with '&' or '*' must be quoted"},
        {"found character", "a character that cannot start a value (quote the value; indent with spaces, not tabs)"},
        {"found unknown escape character", "an unknown escape sequence in a double-quoted value"},
        {"expected escape sequence", "a bad escape sequence in a double-quoted value"},
        {"found unexpected end of stream", "the file ends inside a value (an unclosed quote or bracket?)"},
        {"found unexpected document separator", "a '---' inside a value (an unclosed quote?)"},
        {"could not find expected ':'", "a line that is not 'field: value' (an unclosed quote?)"},
        {"mapping values are not allowed here", "a ':' where no field can start (quote a value that contains ': ')"},
        {"mapping keys are not allowed here", "a '?' where no field can start (quote the value)"},
        {"sequence entries are not allowed here", "a '- ' list entry where none can start (check the indentation)"},
        {"expected the node content", "a value starts with a character YAML reserves (quote the value)"},
        {"expected ',' or", "a '{…}' or '[…]' not closed as expected (quote a value containing '}', ']' or ',')"},
        {"expected <block end>", "a line indented differently from the lines around it"},
        {"expected a single document", "more than one YAML document ('---'); a profile file holds one"},
        {"found undefined tag handle", "a value starting with '!' is read as a YAML tag (quote the value)"},
        {"expected ' ', but found", "a value starting with '!' is read as a YAML tag (quote the value)"},
        {"while scanning a", "a value YAML cannot read (quote the value)"},
        {"special characters are not allowed", "a control character in the file"},
    };
    /** Recognised by a fragment of the JDK's (Xerces) message, which is localised only for its quotes. */
    private static final String[][] XML_PROBLEMS = {
        {"entity", "a '&' that starts no entity (write &amp; for a literal &)"},
        {"must be terminated by the matching end-tag", "an element closed by a different end tag"},
        {"markup in the document following the root", "text or elements after the root element"},
        {"premature end of file", "the file ends inside an element"},
        {"invalid xml character", "a character XML does not allow"},
        {"character reference", "a bad character reference (&#…;)"},
        {"content of elements must consist of well-formed", "a '<' that starts no element (write &lt; for a"
                + " literal <)"},
        {"attribute", "a malformed attribute"},
        {"must be followed by", "a malformed element tag"},
        {"cdata", "a malformed CDATA section"},
        {"comment", "a malformed comment"},
    };
    private static final Pattern YAML_KEY = Pattern.compile("^\\s*(?:-\\s+)*[\"']?([A-Za-z]+)[\"']?\\s*:");
    private static final Pattern XML_ELEMENT = Pattern.compile("<\\s*/?\\s*(?:[A-Za-z0-9_.-]+:)?([A-Za-z]+)");

    private ParserMessages() {
    }

    /**
     * @param problem SnakeYAML's problem text (read, never printed)
     * @param line 1-based line the problem is on, 0 if unknown
     * @param text the file, to find the field on that line
     */
    static String yaml(String problem, int line, String text, List<String> knownFields) {
        String description = describe(problem, YAML_PROBLEMS, "a YAML syntax error");
        return "not valid YAML: " + field(text, line, YAML_KEY, knownFields, "field ", "") + description;
    }

    /**
     * @param problem the XML parser's message (read, never printed)
     * @param line 1-based line within {@code text}, 0 if unknown
     */
    static String xml(String problem, int line, String text, List<String> knownElements) {
        String description = describe(problem, XML_PROBLEMS, "an XML syntax error");
        return "not well-formed XML: " + field(text, line, XML_ELEMENT, knownElements, "near <", ">") + description;
    }

    private static String describe(String problem, String[][] known, String fallback) {
        String lower = problem == null ? "" : problem.toLowerCase(Locale.ROOT);
        for (String[] entry : known) {
            if (lower.contains(entry[0].toLowerCase(Locale.ROOT))) {
                return entry[1];
            }
        }
        return fallback;
    }

    /** "field keyPassword: " when the line names a known field; nothing else from the line is used. */
    private static String field(String text, int line, Pattern pattern, List<String> known, String before,
            String after) {
        String content = line(text, line);
        if (content == null) {
            return "";
        }
        Matcher matcher = pattern.matcher(content);
        while (matcher.find()) {
            for (String name : known) {
                if (name.equalsIgnoreCase(matcher.group(1))) {
                    return before + name + after + ": ";
                }
            }
            if (pattern == YAML_KEY) {
                break;
            }
        }
        return "";
    }

    private static String line(String text, int line) {
        if (line <= 0 || text == null) {
            return null;
        }
        int start = 0;
        for (int i = 1; i < line; i++) {
            start = text.indexOf('\n', start) + 1;
            if (start == 0) {
                return null;
            }
        }
        int end = text.indexOf('\n', start);
        return text.substring(start, end < 0 ? text.length() : end);
    }
}
