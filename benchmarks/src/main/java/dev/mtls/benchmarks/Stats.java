package dev.mtls.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Medians and spreads of repeated measurements; on a shared machine a mean would follow the outliers. */
public final class Stats {
    private final List<Double> sorted;

    public Stats(List<Double> values) {
        sorted = new ArrayList<>(values);
        Collections.sort(sorted);
    }

    public double median() {
        return quantile(0.5);
    }

    public double min() {
        return sorted.get(0);
    }

    public double max() {
        return sorted.get(sorted.size() - 1);
    }

    /** Linear interpolation between the two nearest ranks. */
    public double quantile(double q) {
        double rank = q * (sorted.size() - 1);
        int low = (int) Math.floor(rank);
        int high = (int) Math.ceil(rank);
        return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (rank - low);
    }

    public int count() {
        return sorted.size();
    }

    /** "median (p25–p75)", the form every table in docs/PERFORMANCE.md uses. */
    public String summary(String format) {
        return String.format(format, median()) + " (" + String.format(format, quantile(0.25)) + "–"
                + String.format(format, quantile(0.75)) + ")";
    }
}
