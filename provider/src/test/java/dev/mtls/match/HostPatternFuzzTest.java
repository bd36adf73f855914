package dev.mtls.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the host-pattern parser and the host canonicalisation every lookup
 * goes through. {@link HostPattern#parse} may only return a pattern or throw its documented
 * {@link IllegalArgumentException}; {@link CanonicalHost#forLookup} and
 * {@link Ipv6Literal#canonical} never throw. A canonical form must read back as itself, or two
 * spellings of one host could land in different profiles. See docs/FUZZING.md.
 */
class HostPatternFuzzTest {
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "5s")
    void parsesToACanonicalFormThatReadsBackAsItself(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            HostPattern pattern = HostPattern.parse(text);
            assertEquals(pattern, HostPattern.parse(pattern.toString()), "pattern '" + text + "'");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("bad host pattern '"), e.getMessage());
        }
        String host = CanonicalHost.forLookup(text);
        if (host != null) {
            assertEquals(host, CanonicalHost.forLookup(host), "host '" + text + "'");
        }
        String ipv6 = Ipv6Literal.canonical(text);
        // An IPv4-mapped address becomes dotted IPv4, which is not an IPv6 literal any more.
        if (ipv6 != null && ipv6.indexOf(':') >= 0) {
            assertEquals(ipv6, Ipv6Literal.canonical(ipv6), "IPv6 '" + text + "'");
        }
    }
}
