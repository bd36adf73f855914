package dev.mtls.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostMatcherTest {
    private static final String NONE = "(none)";

    /** No default here, so a host that matches nothing really gets nothing. */
    private static final HostMatcher<String> PROFILES = matcher(
            "payments.internal", "payments",
            "Api.Example.COM.:8443", "api-8443",
            "*.example.com", "example-wild",
            "*.bank.example.com:443", "bank-443",
            "bücher.example", "buecher",
            "*.xn--bcher-kva.example", "buecher-wild",
            "10.1.2.3", "ip4",
            "10.1.2.4:8443", "ip4-8443",
            "[2001:db8::1]:8443", "ip6-8443",
            "::1", "loopback6");

    @ParameterizedTest(name = "{0}:{1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        // wildcards are anchored on whole labels
        "a.example.com|443|example-wild",
        "a.b.example.com|443|example-wild",
        "example.com|443|(none)",
        "badexample.com|443|(none)",
        "a.badexample.com|443|(none)",
        "xexample.com|443|(none)",
        "example.com.evil.net|443|(none)",
        "a.example.com.evil.net|443|(none)",
        "a.example.comm|443|(none)",
        "A.EXAMPLE.COM.|443|example-wild",
        ".example.com|443|(none)",
        "a..example.com|443|(none)",
        // exact names: case, trailing dot, never a prefix or suffix of another name
        "payments.internal|443|payments",
        "PAYMENTS.Internal.|8443|payments",
        "payments.internal|-1|payments",
        "xpayments.internal|443|(none)",
        "pay.payments.internal|443|(none)",
        "payments.internal.evil|443|(none)",
        // an exact pattern with a port leaves other ports to the wildcard
        "api.example.com|8443|api-8443",
        "API.example.com.|8443|api-8443",
        "api.example.com|443|example-wild",
        "api.example.com|-1|example-wild",
        "x.bank.example.com|443|bank-443",
        "x.bank.example.com|8443|example-wild",
        // IDN in either form, on either side
        "xn--bcher-kva.example|443|buecher",
        "Bücher.Example|443|buecher",
        "BÜCHER.EXAMPLE.|443|buecher",
        "shop.bücher.example|443|buecher-wild",
        "shop.XN--BCHER-KVA.example|443|buecher-wild",
        // IPv4
        "10.1.2.3|443|ip4",
        "10.1.2.3|-1|ip4",
        "10.1.2.30|443|(none)",
        "110.1.2.3|443|(none)",
        "010.1.2.3|443|(none)",
        "10.1.2.4|8443|ip4-8443",
        "10.1.2.4|443|(none)",
        "10.1.2.4|-1|(none)",
        "::ffff:10.1.2.3|443|ip4",
        // IPv6: bracketed, bare, uncompressed, upper case
        "2001:db8::1|8443|ip6-8443",
        "[2001:db8::1]|8443|ip6-8443",
        "2001:0db8:0:0:0:0:0:1|8443|ip6-8443",
        "[2001:DB8:0000::0001]|8443|ip6-8443",
        "2001:db8::1|443|(none)",
        "2001:db8::1|-1|(none)",
        "2001:db8::2|8443|(none)",
        "::1|443|loopback6",
        "[0:0:0:0:0:0:0:1]|-1|loopback6",
        "fe80::1%eth0|443|(none)",
    })
    void findsTheProfileForAHost(String host, int port, String expected) {
        assertEquals(expected, PROFILES.match(host, port).map(HostMatch::value).orElse(NONE));
    }

    @ParameterizedTest(name = "{0}:{1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "api.example.com|8443|exact-port",
        "api.example.com|443|exact",
        "api.example.com|-1|exact",
        "api.example.com|0|exact",
        "api.example.com|70000|exact",
        "x.example.com|8443|wild-port",
        "x.example.com|443|wild",
        "x.example.com|-1|wild",
        // the longest suffix wins within a tier
        "x.b.example.com|443|wild-b",
        "x.y.b.example.com|443|wild-b",
        "x.c.example.com|8443|wild-c-port",
        "x.c.example.com|443|wild",
        // tiers are strict: any wildcard naming the port beats a longer one that does not
        "x.b.example.com|8443|wild-port",
        // exact beats wildcard whatever the ports
        "api.c.example.com|8443|exact-c",
        "example.com|8443|default",
        "other.net|443|default",
        "10.9.9.9|443|default",
        "[2001:db8::9]|443|default",
    })
    void theMostSpecificPatternWins(String host, int port, String expected) {
        HostMatcher<String> matcher = matcher(
                "*", "default",
                "*.example.com", "wild",
                "*.b.example.com", "wild-b",
                "*.example.com:8443", "wild-port",
                "*.c.example.com:8443", "wild-c-port",
                "api.example.com", "exact",
                "api.example.com:8443", "exact-port",
                "api.c.example.com", "exact-c");

        assertEquals(expected, matcher.match(host, port).map(HostMatch::value).orElse(NONE));
    }

    @ParameterizedTest(name = "''{0}'' gets the default")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "garbage host!",
        "exa!mple.com",
        "a..b",
        "fe80::1%eth0",
        "[::1]:8443",
        "api.example.com:443",
        "256.1.2.3",
    })
    void aHostThatIsNotAValidNameGetsOnlyTheDefault(String host) {
        HostMatcher<String> matcher = matcher("*", "default", "*.example.com", "wild", "fe80::1", "link-local");

        assertEquals("default", matcher.match(host, 443).map(HostMatch::value).orElse(NONE));
    }

    @ParameterizedTest(name = "''{0}'' means no peer host")
    @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "NULL", value = {"NULL", "\"\"", "\"   \""})
    void noPeerHostGetsNoProfileEvenWithADefault(String host) {
        HostMatcher<String> matcher = matcher("*", "default");

        assertEquals(Optional.empty(), matcher.match(host, 443));
    }

    @Test
    void withoutPatternsNothingMatches() {
        assertEquals(Optional.empty(), HostMatcher.<String>of(Map.of()).match("example.com", 443));
    }

    @Test
    void answersWithThePatternThatWonInCanonicalForm() {
        HostMatch<String> match = PROFILES.match("API.EXAMPLE.COM", 8443).orElseThrow();

        assertEquals("api.example.com:8443", match.pattern().toString());
        assertSame(match, PROFILES.match("api.example.com.", 8443).orElseThrow(), "one shared answer per pattern");
    }

    @Test
    void staysCorrectWithManyPatterns() {
        Map<HostPattern, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < 50_000; i++) {
            entries.put(HostPattern.parse("host" + i + ".example.com"), "exact" + i);
            entries.put(HostPattern.parse("*.zone" + i + ".example.com:443"), "wild" + i);
        }
        HostMatcher<String> matcher = HostMatcher.of(entries);

        assertEquals("exact49999", matcher.match("host49999.example.com", 443).orElseThrow().value());
        assertEquals("wild123", matcher.match("a.b.zone123.example.com", 443).orElseThrow().value());
        assertEquals(Optional.empty(), matcher.match("a.zone123.example.com", 8443));
    }

    static HostMatcher<String> matcher(String... patternsAndValues) {
        Map<HostPattern, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < patternsAndValues.length; i += 2) {
            entries.put(HostPattern.parse(patternsAndValues[i]), patternsAndValues[i + 1]);
        }
        return HostMatcher.of(entries);
    }

    @Test
    void singleLabelWildcardCoversItsPrivateDomainOnly() {
        HostMatcher<String> internal = matcher("*.internal", "internal");
        assertEquals("internal", internal.match("payments.internal", 443).map(m -> m.value()).orElse(NONE));
        assertEquals("internal", internal.match("a.b.INTERNAL.", 443).map(m -> m.value()).orElse(NONE));
        assertEquals(NONE, internal.match("internal", 443).map(m -> m.value()).orElse(NONE));
        assertEquals(NONE, internal.match("payments.internal.example.com", 443).map(m -> m.value()).orElse(NONE));
    }
}
