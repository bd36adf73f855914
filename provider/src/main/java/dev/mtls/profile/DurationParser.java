package dev.mtls.profile;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations operators write: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h},
 * {@code 14d}, and a bare {@code 0}. Any other number needs a unit: "30" could mean seconds or
 * minutes, and guessing wrong turns a reload interval into a hot loop or a month.
 */
public final class DurationParser {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private DurationParser() {
    }

    /** @throws IllegalArgumentException naming the text and the accepted forms */
    public static Duration parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.matches("0+")) {
            return Duration.ZERO;
        }
        Matcher matcher = DURATION.matcher(trimmed);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (write e.g. 500ms, 30s, 5m, 1h, 14d,"
                    + " or 0)");
        }
        long amount = Long.parseLong(matcher.group(1));
        switch (matcher.group(2)) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            default:
                return Duration.ofDays(amount);
        }
    }
}
