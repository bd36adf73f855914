package dev.mtls.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationParserTest {
    @Test
    void parsesEachUnit() {
        assertEquals(Duration.ofMillis(500), DurationParser.parse("500ms"));
        assertEquals(Duration.ofSeconds(30), DurationParser.parse("30s"));
        assertEquals(Duration.ofMinutes(5), DurationParser.parse("5m"));
        assertEquals(Duration.ofHours(1), DurationParser.parse("1h"));
        assertEquals(Duration.ofDays(14), DurationParser.parse("14d"));
    }

    @Test
    void readsZeroWithoutAUnitAsDisabled() {
        assertEquals(Duration.ZERO, DurationParser.parse("0"));
        assertEquals(Duration.ZERO, DurationParser.parse("0s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "", "s", "-5s", "1.5h", "30 s", "1h30m", "PT30S", "99999999999999s", "ten s"})
    void rejectsWhatIsNotADuration(String text) {
        assertEquals("'" + text + "' is not a duration (write e.g. 500ms, 30s, 5m, 1h, 14d, or 0)",
                assertThrows(IllegalArgumentException.class, () -> DurationParser.parse(text)).getMessage());
    }

    @Test
    void refusesMoreThanTheMaximumNamingIt() {
        assertEquals(Duration.ofDays(1), DurationParser.parse("24h", DurationParser.MAX_RELOAD));
        assertEquals("'1441m' is longer than the maximum of 1d", assertThrows(IllegalArgumentException.class,
                () -> DurationParser.parse("1441m", DurationParser.MAX_RELOAD)).getMessage());
        assertEquals("'999999999999d' is longer than the maximum of 365d", assertThrows(IllegalArgumentException.class,
                () -> DurationParser.parse("999999999999d", DurationParser.MAX_EXPIRY_WARNING)).getMessage());
    }
}
