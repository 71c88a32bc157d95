package dev.backprop.core.train;

import dev.backprop.core.Cost;
import dev.backprop.core.GradientEngine;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataSet;
import java.util.Locale;

/**
 * How a classifier's predictions (the arg max of its outputs) fall against the true labels: accuracy,
 * per-class precision and recall, and the counts themselves. Rows are true classes, columns predictions.
 */
public final class ConfusionMatrix {
    private static final int BLOCK = 1024;

    private final long[][] counts;
    private final long total;
    private final double meanLoss;

    private ConfusionMatrix(long[][] counts, double meanLoss) {
        this.counts = counts;
        this.meanLoss = meanLoss;
        long n = 0;
        for (long[] row : counts) {
            for (long c : row) {
                n += c;
            }
        }
        this.total = n;
    }

    /**
     * Predicts every example of the labelled {@code data} with {@code engine}, a block at a time.
     *
     * @throws IllegalArgumentException if the data has no labels or its classes do not match the outputs
     */
    public static ConfusionMatrix evaluate(GradientEngine engine, Parameters params, DataSet data) {
        int classes = params.network().outputs();
        if (!data.hasLabels()) {
            throw new IllegalArgumentException("the data set has no class labels to evaluate against");
        }
        if (data.classes() != classes) {
            throw new IllegalArgumentException("the data set has " + data.classes() + " classes, the network "
                    + classes + " outputs");
        }
        long[][] counts = new long[classes][classes];
        double[] out = new double[Math.min(BLOCK, data.size()) * classes];
        double[] target = new double[classes];
        Cost cost = params.network().cost();
        double loss = 0.0;
        for (int from = 0; from < data.size(); from += BLOCK) {
            int to = Math.min(data.size(), from + BLOCK);
            engine.predict(params, data, from, to, out);
            for (int i = from; i < to; i++) {
                counts[data.label(i)][argMax(out, (i - from) * classes, classes)]++;
                data.readTargets(i, target, 0);
                loss += cost.of(out, (i - from) * classes, target);
            }
        }
        return new ConfusionMatrix(counts, data.size() == 0 ? Double.NaN : loss / data.size());
    }

    /** The index of the largest of {@code n} values from {@code offset}; the first one on ties. */
    public static int argMax(double[] values, int offset, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) {
            if (values[offset + k] > values[offset + best]) {
                best = k;
            }
        }
        return best;
    }

    /** The number of classes. */
    public int classes() {
        return counts.length;
    }

    /** The number of examples evaluated. */
    public long total() {
        return total;
    }

    /** Examples of class {@code actual} predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** Σ J_i / m over the examples, the cost of the network's outputs against the one-hot targets. */
    public double meanLoss() {
        return meanLoss;
    }

    /** The fraction predicted correctly. */
    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < counts.length; c++) {
            correct += counts[c][c];
        }
        return total == 0 ? Double.NaN : correct / (double) total;
    }

    /** Of the examples predicted as {@code c}, the fraction that are {@code c}; NaN if none was. */
    public double precision(int c) {
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[c];
        }
        return predicted == 0 ? Double.NaN : counts[c][c] / (double) predicted;
    }

    /** Of the examples of class {@code c}, the fraction predicted as {@code c}; NaN if there were none. */
    public double recall(int c) {
        long actual = 0;
        for (long v : counts[c]) {
            actual += v;
        }
        return actual == 0 ? Double.NaN : counts[c][c] / (double) actual;
    }

    /**
     * A text report: accuracy, then precision and recall per class, then the matrix, with {@code names} for
     * the classes (or their numbers when {@code names} is null).
     */
    public String report(String[] names) {
        int classes = counts.length;
        String[] label = new String[classes];
        int width = 5;
        for (int c = 0; c < classes; c++) {
            label[c] = names != null && c < names.length ? names[c] : Integer.toString(c);
            width = Math.max(width, label[c].length());
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "accuracy %.4f (%d of %d)%n%n", accuracy(),
                Math.round(accuracy() * total), total));
        s.append(String.format(Locale.ROOT, "%-" + width + "s  precision  recall  examples%n", "class"));
        for (int c = 0; c < classes; c++) {
            long actual = 0;
            for (long v : counts[c]) {
                actual += v;
            }
            s.append(String.format(Locale.ROOT, "%-" + width + "s  %9.4f  %6.4f  %8d%n", label[c], precision(c),
                    recall(c), actual));
        }
        s.append(String.format(Locale.ROOT, "%nconfusion matrix (rows: true class, columns: predicted)%n"));
        int cell = 2;
        for (long[] row : counts) {
            for (long v : row) {
                cell = Math.max(cell, Long.toString(v).length());
            }
        }
        s.append(" ".repeat(width));
        for (int c = 0; c < classes; c++) {
            s.append(String.format(Locale.ROOT, " %" + cell + "d", c));
        }
        s.append(System.lineSeparator());
        for (int r = 0; r < classes; r++) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s", label[r]));
            for (int c = 0; c < classes; c++) {
                s.append(String.format(Locale.ROOT, " %" + cell + "d", counts[r][c]));
            }
            s.append(System.lineSeparator());
        }
        return s.toString();
    }
}
