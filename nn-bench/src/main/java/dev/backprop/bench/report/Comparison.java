package dev.backprop.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The change between two runs, configuration by configuration, so that a regression shows: the score
 * of each, the change in percent, and whether it is larger than the two confidence intervals together.
 */
public final class Comparison {
    private Comparison() {
    }

    /** One configuration in one or both runs. */
    public record Row(String key, BenchResult before, BenchResult after) {
        /** (after − before) / before; NaN when either is missing. */
        public double change() {
            return before == null || after == null ? Double.NaN : (after.score() - before.score()) / before.score();
        }

        /** "faster", "slower", "same" (within the summed errors), "only in A", "only in B". */
        public String verdict() {
            if (before == null) {
                return "only in B";
            }
            if (after == null) {
                return "only in A";
            }
            double noise = (Double.isNaN(before.error()) ? 0 : before.error()) + (Double.isNaN(after.error()) ? 0 : after.error());
            double delta = after.score() - before.score();
            if (Math.abs(delta) <= noise) {
                return "same";
            }
            return delta > 0 ? "faster" : "SLOWER";
        }
    }

    /** Pairs the results of two runs by {@link BenchResult#key()}, in the order of {@code a}, then {@code b}'s new ones. */
    public static List<Row> compare(List<BenchResult> a, List<BenchResult> b) {
        Map<String, BenchResult[]> pairs = new LinkedHashMap<>();
        for (BenchResult r : a) {
            pairs.computeIfAbsent(r.key(), k -> new BenchResult[2])[0] = r;
        }
        for (BenchResult r : b) {
            pairs.computeIfAbsent(r.key(), k -> new BenchResult[2])[1] = r;
        }
        List<Row> rows = new ArrayList<>();
        pairs.forEach((k, v) -> rows.add(new Row(k, v[0], v[1])));
        return rows;
    }

    /** A text table of {@code rows}: scores in the unit a reader thinks in (examples/s, GFLOP/s). */
    public static String format(List<Row> rows, String nameA, String nameB) {
        int width = Math.max(13, rows.stream().mapToInt(r -> r.key().length()).max().orElse(0));
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s  %16s  %16s  %8s  %s%n",
                "configuration", "A", "B", "change", "verdict"));
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s  %16s  %16s  %8s  %s%n", r.key(), figure(r.before()),
                    figure(r.after()), Double.isNaN(r.change()) ? "" : String.format(Locale.ROOT, "%+.1f%%", 100 * r.change()),
                    r.verdict()));
        }
        long slower = rows.stream().filter(r -> r.verdict().equals("SLOWER")).count();
        long faster = rows.stream().filter(r -> r.verdict().equals("faster")).count();
        s.append(String.format(Locale.ROOT, "%nA: %s%nB: %s%n%d slower, %d faster, %d within the errors of both runs%n",
                nameA, nameB, slower, faster, rows.stream().filter(r -> r.verdict().equals("same")).count()));
        return s.toString();
    }

    private static String figure(BenchResult r) {
        if (r == null) {
            return "";
        }
        if (r.benchmark().startsWith("EngineBenchmark")) {
            return String.format(Locale.ROOT, "%,.0f ex/s", r.examplesPerSecond());
        }
        if (!Double.isNaN(r.flopsPerSecond())) {
            return String.format(Locale.ROOT, "%.1f GFLOP/s", r.flopsPerSecond() / 1e9);
        }
        return String.format(Locale.ROOT, "%.4g ops/s", r.score());
    }
}
