package dev.mtls.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OcspCacheTest {
    private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");

    @Test
    void dropsTheLeastRecentlyUsedAnswerPastItsBound() {
        OcspCache cache = new OcspCache(2);
        cache.put("a", good(Duration.ofHours(1)));
        cache.put("b", good(Duration.ofHours(1)));
        cache.get("a", NOW);
        cache.put("c", good(Duration.ofHours(1)));

        assertThat(cache.get("a", NOW)).isNotNull();
        assertThat(cache.get("b", NOW)).isNull();
        assertThat(cache.get("c", NOW)).isNotNull();
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void answerPastItsValidityIsGoneNotServed() {
        OcspCache cache = new OcspCache(2);
        cache.put("a", good(Duration.ofMinutes(5)));

        assertThat(cache.get("a", NOW.plus(Duration.ofMinutes(4)))).isNotNull();
        assertThat(cache.get("a", NOW.plus(Duration.ofMinutes(5)))).isNull();
        assertThat(cache.size()).isZero();
    }

    private static OcspAnswer good(Duration validity) {
        return new OcspAnswer(Status.State.GOOD, "", NOW, NOW.plus(validity));
    }
}
