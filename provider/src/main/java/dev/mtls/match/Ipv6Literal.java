package dev.mtls.match;

/**
 * Parses and formats IPv6 literals without {@code InetAddress}: {@code getByName} falls back to a
 * DNS query for anything it does not recognise, and host matching must never touch the network.
 */
final class Ipv6Literal {
    private static final int GROUPS = 8;

    private Ipv6Literal() {
    }

    /**
     * @param text an address without brackets or zone id, e.g. {@code 2001:0db8:0:0:0:0:0:1}
     * @return the RFC 5952 form ({@code 2001:db8::1}); an IPv4-mapped address becomes its dotted
     *     IPv4 form, as the JDK connects to it over IPv4; null if {@code text} is not an IPv6 literal
     */
    static String canonical(String text) {
        int[] groups = parse(text);
        return groups == null ? null : format(groups);
    }

    private static int[] parse(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = groups(gap < 0 ? text : text.substring(0, gap), gap < 0);
        int[] tail = gap < 0 ? new int[0] : groups(text.substring(gap + 2), true);
        if (head == null || tail == null) {
            return null;
        }
        int count = head.length + tail.length;
        if (gap < 0 ? count != GROUPS : count > GROUPS - 1) {
            return null;
        }
        int[] address = new int[GROUPS];
        System.arraycopy(head, 0, address, 0, head.length);
        System.arraycopy(tail, 0, address, GROUPS - tail.length, tail.length);
        return address;
    }

    /** One side of {@code ::}; only the end of the address may be dotted IPv4 ({@code ::ffff:10.0.0.1}). */
    private static int[] groups(String part, boolean mayEndInIpv4) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] pieces = part.split(":", -1);
        int last = pieces.length - 1;
        boolean endsInIpv4 = mayEndInIpv4 && pieces[last].indexOf('.') >= 0;
        int[] groups = new int[pieces.length + (endsInIpv4 ? 1 : 0)];
        for (int i = 0; i < pieces.length; i++) {
            if (i == last && endsInIpv4) {
                int[] octets = CanonicalHost.ipv4Octets(pieces[i]);
                if (octets == null) {
                    return null;
                }
                groups[i] = octets[0] << 8 | octets[1];
                groups[i + 1] = octets[2] << 8 | octets[3];
            } else {
                int group = hexGroup(pieces[i]);
                if (group < 0) {
                    return null;
                }
                groups[i] = group;
            }
        }
        return groups;
    }

    private static int hexGroup(String piece) {
        if (piece.isEmpty() || piece.length() > 4) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < piece.length(); i++) {
            // Character.digit would accept full-width and other non-ASCII digits.
            int digit = "0123456789abcdef".indexOf(Character.toLowerCase(piece.charAt(i)));
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    private static String format(int[] g) {
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
            return (g[6] >> 8) + "." + (g[6] & 0xff) + "." + (g[7] >> 8) + "." + (g[7] & 0xff);
        }
        // RFC 5952: compress the longest run of two or more zero groups, the first one on a tie.
        int runStart = -1;
        int runLength = 1;
        for (int i = 0; i < GROUPS; i++) {
            int j = i;
            while (j < GROUPS && g[j] == 0) {
                j++;
            }
            if (j - i > runLength) {
                runStart = i;
                runLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < GROUPS; i++) {
            if (i == runStart) {
                out.append("::");
                i += runLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(g[i]));
        }
        return out.toString();
    }
}
