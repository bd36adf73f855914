package dev.mtls.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPatternTest {

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", ignoreLeadingAndTrailingWhitespace = false, value = {
        "payments.internal|payments.internal|payments.internal|-1|false|false",
        "Payments.INTERNAL.|payments.internal|payments.internal|-1|false|false",
        "payments.internal:8443|payments.internal:8443|payments.internal|8443|false|false",
        "api.example.com:08443|api.example.com:8443|api.example.com|8443|false|false",
        "  api.example.com:443 \t|api.example.com:443|api.example.com|443|false|false",
        "localhost|localhost|localhost|-1|false|false",
        "my_service|my_service|my_service|-1|false|false",
        "*.example.com|*.example.com|example.com|-1|true|false",
        "*.Example.COM.:8443|*.example.com:8443|example.com|8443|true|false",
        "bücher.example|xn--bcher-kva.example|xn--bcher-kva.example|-1|false|false",
        "*.BÜCHER.example|*.xn--bcher-kva.example|xn--bcher-kva.example|-1|true|false",
        "10.1.2.3|10.1.2.3|10.1.2.3|-1|false|false",
        "10.1.2.3:443|10.1.2.3:443|10.1.2.3|443|false|false",
        "0.0.0.0|0.0.0.0|0.0.0.0|-1|false|false",
        "255.255.255.255:65535|255.255.255.255:65535|255.255.255.255|65535|false|false",
        "[2001:db8::1]:8443|[2001:db8::1]:8443|2001:db8::1|8443|false|false",
        "[2001:db8::1]|[2001:db8::1]|2001:db8::1|-1|false|false",
        "2001:db8::1|[2001:db8::1]|2001:db8::1|-1|false|false",
        "2001:0DB8:0:0:0:0:0:1|[2001:db8::1]|2001:db8::1|-1|false|false",
        "::1|[::1]|::1|-1|false|false",
        "[::1]:8443|[::1]:8443|::1|8443|false|false",
        "::|[::]|::|-1|false|false",
        "2001:db8:0:0:1:0:0:1|[2001:db8::1:0:0:1]|2001:db8::1:0:0:1|-1|false|false",
        "2001:db8:0:1:1:1:1:1|[2001:db8:0:1:1:1:1:1]|2001:db8:0:1:1:1:1:1|-1|false|false",
        "64:ff9b::10.1.2.3|[64:ff9b::a01:203]|64:ff9b::a01:203|-1|false|false",
        "::ffff:10.1.2.3|10.1.2.3|10.1.2.3|-1|false|false",
        "[::FFFF:10.1.2.3]:443|10.1.2.3:443|10.1.2.3|443|false|false",
        "*|*|NULL|-1|false|true",
    })
    void parsesToCanonicalForm(String text, String canonical, String host, int port, boolean wildcard,
            boolean isDefault) {
        HostPattern pattern = HostPattern.parse(text);

        assertEquals(canonical, pattern.toString());
        assertEquals(host, pattern.host());
        assertEquals(port, pattern.port());
        assertEquals(wildcard, pattern.isWildcard());
        assertEquals(isDefault, pattern.isDefault());
        assertEquals(pattern, HostPattern.parse(pattern.toString()), "canonical text parses back to itself");
    }

    @ParameterizedTest(name = "''{0}'' equals ''{1}''")
    @CsvSource(delimiter = '|', value = {
        "Example.COM.|example.com",
        "EXAMPLE.com:443|example.com.:443",
        "bücher.example|xn--bcher-kva.example",
        "BÜCHER.Example.|XN--BCHER-KVA.example",
        "*.Example.com|*.example.com.",
        "2001:0db8:0:0:0:0:0:1|[2001:db8::1]",
        "[2001:DB8::1]:8443|[2001:db8:0::0:1]:8443",
        "0:0:0:0:0:0:0:1|::1",
        "::ffff:10.1.2.3|10.1.2.3",
        "*|*",
    })
    void equivalentSpellingsAreEqualPatterns(String left, String right) {
        HostPattern a = HostPattern.parse(left);
        HostPattern b = HostPattern.parse(right);

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @ParameterizedTest(name = "''{0}'' differs from ''{1}''")
    @CsvSource(delimiter = '|', value = {
        "example.com|example.com:443",
        "example.com:443|example.com:8443",
        "*.example.com|example.com",
        "*.example.com:443|*.example.com",
        "*|*.example.com",
        "[::1]|[::2]",
        "10.1.2.3|10.1.2.30",
    })
    void differentPatternsAreNotEqual(String left, String right) {
        assertNotEquals(HostPattern.parse(left), HostPattern.parse(right));
    }

    // Quote character '"' because several expected messages quote with '.
    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', ignoreLeadingAndTrailingWhitespace = false, value = {
        "a*.b.com|a wildcard must be the whole leftmost label, as in *.example.com",
        "*a.b.com|a wildcard must be the whole leftmost label",
        "*.*.example.com|a wildcard must be the whole leftmost label",
        "foo.*.com|a wildcard must be the whole leftmost label",
        "**|a wildcard must be the whole leftmost label",
        "[*.example.com]|a wildcard must be the whole leftmost label",
        "*.|a wildcard needs a domain after '*.'",
        "*.10.1.2.3|a wildcard cannot cover an IP address",
        "*.[2001:db8::1]|a wildcard cannot cover an IP address",
        "*.1.2.3|'1.2.3' is not a valid IPv4 address",
        "*:443|the default pattern '*' matches every host and port and takes no port",
        "\"\"|a pattern cannot be empty",
        "\"   \"|a pattern cannot be empty",
        "api .example.com|it contains whitespace",
        "api.exa\tmple.com|it contains whitespace",
        "api.example.com:0|port 0 is out of range 1-65535",
        "api.example.com:65536|port 65536 is out of range 1-65535",
        "api.example.com:99999999999|port 99999999999 is out of range 1-65535",
        "api.example.com:https|port 'https' is not a number",
        "api.example.com:-1|port '-1' is not a number",
        "api.example.com:|the port is missing after ':'",
        ":443|the host is missing before ':'",
        "example..com|it has an empty label",
        ".example.com|it has an empty label",
        "example.com..|it has an empty label",
        "exa!mple.com|'!' is not allowed in a host name",
        "256.1.2.3|'256.1.2.3' is not a valid IPv4 address",
        "10.1.2|'10.1.2' is not a valid IPv4 address",
        "010.1.2.3|without leading zeros",
        "1.2.3.4.5|'1.2.3.4.5' is not a valid IPv4 address",
        "example.123|is not a valid IPv4 address",
        "2001:db8:0:0:0:0:0:1:8443|put it in brackets, as in [2001:db8::1]:8443",
        "2001:db8::1::8443|'2001:db8::1::8443' is not a valid IPv6 address",
        "2001:db8::12345|'2001:db8::12345' is not a valid IPv6 address",
        "1:2:3:4:5:6:7|not a valid IPv6 address",
        ":::1|not a valid IPv6 address",
        "[2001:db8::1]8443|only ':port' may follow ']'",
        "[2001:db8::1|'[' without a closing ']'",
        "[example.com]:443|brackets are only for IPv6 addresses",
        "fe80::1%eth0|IPv6 zone ids ('%...') are not supported",
    })
    void refusesBadPatternsWithAnOperatorMessage(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPattern.parse(text));

        assertTrue(e.getMessage().startsWith("bad host pattern '" + text + "': "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void explainsTheWildcardRuleInOneSentence() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> HostPattern.parse("a*.b.com"));

        assertEquals("bad host pattern 'a*.b.com': a wildcard must be the whole leftmost label, as in *.example.com",
                e.getMessage());
    }

    @Test
    void refusesOverlongLabelsAndNames() {
        String label64 = "a".repeat(64);
        String name254 = ("a".repeat(62) + ".").repeat(4) + "ab";

        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostPattern.parse(label64 + ".example.com"))
                .getMessage().contains("is longer than 63 characters"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostPattern.parse(name254))
                .getMessage().contains("longer than 253 characters"));
        assertEquals(253, HostPattern.parse(name254.substring(1)).host().length());
    }

    @Test
    void refusesNull() {
        assertThrows(IllegalArgumentException.class, () -> HostPattern.parse(null));
    }

    @Test
    void defaultPatternIsNotAWildcard() {
        HostPattern pattern = HostPattern.parse("*");

        assertTrue(pattern.isDefault());
        assertFalse(pattern.isWildcard());
    }
}
