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
    /**
     * The longest reload interval: checking less than daily is not reloading any more ({@code 0}
     * turns it off), and an interval the timer cannot represent would stop it for good.
     */
    public static final Duration MAX_RELOAD = Duration.ofDays(1);
    /** The longest expiry warning: no certificate worth warning about is issued for more than a year ahead. */
    public static final Duration MAX_EXPIRY_WARNING = Duration.ofDays(365);

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private DurationParser() {
    }

    /**
     * As {@link #parse(String)}, refusing more than {@code max}, so that no caller meets an
     * interval that overflows when turned into nanoseconds or added to a date.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms, or the maximum
     */
    public static Duration parse(String text, Duration max) {
        Duration duration = parse(text);
        if (duration.compareTo(max) > 0) {
            throw new IllegalArgumentException("'" + text + "' is longer than the maximum of " + describe(max));
        }
        return duration;
    }

    /** {@code max} in the largest whole unit the grammar has: 1d, 365d, 90m. */
    static String describe(Duration duration) {
        if (duration.isZero()) {
            return "0";
        }
        if (duration.toMillis() % 86_400_000L == 0) {
            return duration.toDays() + "d";
        }
        if (duration.toMillis() % 3_600_000L == 0) {
            return duration.toHours() + "h";
        }
        if (duration.toMillis() % 60_000L == 0) {
            return duration.toMinutes() + "m";
        }
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
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
