package dev.mtls.log;

/**
 * Makes text taken from a file safe to print on one line of a terminal or a log: a newline in a
 * profile name must not forge an {@code error:} line, and an escape sequence in a path must not
 * reach the operator's terminal. Control characters (C0, DEL, C1), Unicode line and paragraph
 * separators and format characters (bidi overrides among them) become visible escapes:
 * {@code \n}, {@code \r}, {@code \t}, and otherwise a backslash, {@code u} and four hex digits
 * (an ESC is printed as backslash-u001b). The backslash itself is left alone, so
 * Windows paths stay readable and escaping text twice changes nothing.
 */
public final class Printable {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Printable() {
    }

    /** {@code text} with every unprintable character escaped; null stays null. */
    public static String escape(String text) {
        if (text == null || !needsEscape(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!unprintable(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
                        .append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (unprintable(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean unprintable(char c) {
        if (c < 0x20 || c >= 0x7F && c <= 0x9F) {
            return true;
        }
        if (c < 0xA0) {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
