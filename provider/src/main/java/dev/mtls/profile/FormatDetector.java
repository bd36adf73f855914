package dev.mtls.profile;

/**
 * Tells the two formats apart by content, never by file name: a WSO2 file is often called
 * {@code .xml}, but operators copy and rename. XML is anything whose first character, after a
 * byte-order mark, white space and {@code #} comment lines, is {@code <}; everything else is
 * given to the YAML parser, which decides whether it is a profile file at all.
 */
final class FormatDetector {
    private FormatDetector() {
    }

    static ProfileDocument.Format detect(byte[] content) {
        if (isUtf16(content)) {
            // UTF-16 YAML is legal but unheard of here; a UTF-16 WSO2 file is plausible.
            return content.length > 3 && (content[2] == '<' || content[3] == '<') ? ProfileDocument.Format.WSO2_XML
                    : ProfileDocument.Format.YAML;
        }
        int start = start(content);
        return start < content.length && content[start] == '<' ? ProfileDocument.Format.WSO2_XML
                : ProfileDocument.Format.YAML;
    }

    /**
     * Where the content proper begins in UTF-8 (or ASCII-compatible) text: after a byte-order
     * mark, white space and {@code #} comment lines. The XML parser starts here, because an XML
     * declaration after white space is not well-formed and copied files often have some. 0 for
     * UTF-16, whose parser needs the byte-order mark.
     */
    static int start(byte[] content) {
        if (isUtf16(content)) {
            return 0;
        }
        int i = startsWith(content, 0xEF, 0xBB, 0xBF) ? 3 : 0;
        while (i < content.length) {
            byte b = content[i];
            if (b == '#') {
                while (i < content.length && content[i] != '\n') {
                    i++;
                }
            } else if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean isUtf16(byte[] content) {
        return startsWith(content, 0xFE, 0xFF) || startsWith(content, 0xFF, 0xFE);
    }

    private static boolean startsWith(byte[] content, int... prefix) {
        if (content.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((content[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
