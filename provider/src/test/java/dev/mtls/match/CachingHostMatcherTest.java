package dev.mtls.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CachingHostMatcherTest {
    private static final HostMatcher<String> WITH_DEFAULT = HostMatcherTest.matcher(
            "*", "default",
            "*.example.com", "wild",
            "*.example.com:8443", "wild-port",
            "api.example.com", "exact",
            "api.example.com:8443", "exact-port",
            "bücher.example", "buecher",
            "[2001:db8::1]:8443", "ip6");
    private static final HostMatcher<String> WITHOUT_DEFAULT = HostMatcherTest.matcher(
            "*.example.com", "wild",
            "api.example.com:8443", "exact-port");

    @ParameterizedTest(name = "{0}:{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "NULL", value = {
        "api.example.com|8443",
        "API.example.com.|8443",
        "api.example.com|443",
        "api.example.com|-1",
        "x.example.com|8443",
        "x.example.com|443",
        "example.com|443",
        "badexample.com|443",
        "xn--bcher-kva.example|443",
        "Bücher.example|443",
        "2001:0db8::0:1|8443",
        "[2001:db8::1]|443",
        "garbage host!|443",
        "\"\"|443",
        "NULL|443",
    })
    void givesTheSameAnswersAsTheMatcherItWraps(String host, int port) {
        for (HostMatcher<String> matcher : List.of(WITH_DEFAULT, WITHOUT_DEFAULT)) {
            CachingHostMatcher<String> cached = new CachingHostMatcher<>(matcher);

            assertEquals(matcher.match(host, port), cached.match(host, port), "first lookup");
            assertEquals(matcher.match(host, port), cached.match(host, port), "cached lookup");
        }
    }

    @Test
    void looksUpEachHostAndPortOnceIncludingMisses() {
        AtomicInteger lookups = new AtomicInteger();
        CachingHostMatcher<String> cached = new CachingHostMatcher<>((host, port) -> {
            lookups.incrementAndGet();
            return WITHOUT_DEFAULT.match(host, port);
        }, 100);

        for (int i = 0; i < 3; i++) {
            assertEquals("wild", cached.match("a.example.com", 443).orElseThrow().value());
            assertEquals(Optional.empty(), cached.match("nowhere.example.net", 443));
        }
        assertEquals(2, lookups.get());

        assertEquals("exact-port", cached.match("api.example.com", 8443).orElseThrow().value());
        assertEquals("wild", cached.match("api.example.com", 443).orElseThrow().value());
        assertEquals(4, lookups.get(), "the port is part of the key");
    }

    @Test
    void staysCorrectWhenTheCacheOverflows() {
        CachingHostMatcher<String> cached = new CachingHostMatcher<>(WITH_DEFAULT::match, 2);
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            hosts.add("h" + i + ".example.com");
            hosts.add("h" + i + ".example.net");
        }

        for (int round = 0; round < 2; round++) {
            for (String host : hosts) {
                assertEquals(WITH_DEFAULT.match(host, 8443), cached.match(host, 8443), host);
            }
        }
    }
}
