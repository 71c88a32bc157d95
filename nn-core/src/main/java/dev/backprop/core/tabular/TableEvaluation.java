package dev.backprop.core.tabular;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.train.ConfusionMatrix;
import java.util.List;
import java.util.Locale;

/**
 * How well a model trained on a table predicts a labelled set, in the terms a user of the table reads: for
 * a classification the accuracy, precision, recall and F1 per class, the confusion matrix and the log loss;
 * for a regression the RMSE, the MAE and R², in the target's own units.
 *
 * @param headline the one figure that sums it up: accuracy, or RMSE
 * @param report the whole report, as text lines
 */
public record TableEvaluation(double headline, String headlineName, String report) {
    private static final int BLOCK = 1024;

    /** The network outputs for every example of {@code data}, row after row. */
    public static double[] outputs(GradientEngine engine, Parameters params, DataSet data) {
        int outputs = params.network().outputs();
        double[] all = new double[Math.multiplyExact(data.size(), outputs)];
        double[] block = new double[Math.min(BLOCK, data.size()) * outputs];
        for (int from = 0; from < data.size(); from += BLOCK) {
            int to = Math.min(data.size(), from + BLOCK);
            engine.predict(params, data, from, to, block);
            System.arraycopy(block, 0, all, from * outputs, (to - from) * outputs);
        }
        return all;
    }

    /** Evaluates {@code params} on {@code data}, a set made by {@link Preprocessing#dataSet}. */
    public static TableEvaluation of(GradientEngine engine, Parameters params, DataSet data, Preprocessing preprocessing) {
        double[] out = outputs(engine, params, data);
        if (preprocessing.target() instanceof TargetEncoding.Scaled s) {
            double[] actual = new double[data.size()];
            double[] predicted = new double[data.size()];
            for (int i = 0; i < actual.length; i++) {
                actual[i] = s.value(data.target(i, 0));
                predicted[i] = s.value(out[i]);
            }
            return regression(actual, predicted, s.name());
        }
        List<String> classes = ((TargetEncoding.Classes) preprocessing.target()).classes();
        int k = classes.size();
        long[][] counts = new long[k][k];
        double logLoss = 0;
        for (int i = 0; i < data.size(); i++) {
            counts[data.label(i)][ConfusionMatrix.argMax(out, i * k, k)]++;
            double total = 0;
            for (int c = 0; c < k; c++) {
                total += out[i * k + c];
            }
            // outputs are probabilities under softmax; a sigmoid output layer is normalized to sum to 1 first
            logLoss -= Math.log(Math.max(out[i * k + data.label(i)] / total, 1e-15));
        }
        return classification(counts, classes, logLoss / data.size());
    }

    /** RMSE, MAE and R² of {@code predicted} against {@code actual}. */
    public static TableEvaluation regression(double[] actual, double[] predicted, String target) {
        double mean = 0;
        for (double y : actual) {
            mean += y;
        }
        mean /= actual.length;
        double squares = 0;
        double absolute = 0;
        double total = 0;
        for (int i = 0; i < actual.length; i++) {
            double e = predicted[i] - actual[i];
            squares += e * e;
            absolute += Math.abs(e);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        double rmse = Math.sqrt(squares / actual.length);
        String report = String.format(Locale.ROOT, "RMSE %.6g  MAE %.6g  R² %.4f  (%d rows, '%s' in its own units)%n",
                rmse, absolute / actual.length, 1 - squares / total, actual.length, target);
        return new TableEvaluation(rmse, "RMSE", report);
    }

    /** The report of a confusion matrix {@code counts} (rows: true class) with its log loss. */
    public static TableEvaluation classification(long[][] counts, List<String> classes, double logLoss) {
        int k = classes.size();
        long n = 0;
        long right = 0;
        int width = 5;
        for (int c = 0; c < k; c++) {
            right += counts[c][c];
            for (long v : counts[c]) {
                n += v;
            }
            width = Math.max(width, classes.get(c).length());
        }
        double accuracy = (double) right / n;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "accuracy %.4f (%d of %d)  log loss %.4f%n%n",
                accuracy, right, n, logLoss));
        s.append(String.format(Locale.ROOT, "%-" + width + "s  precision  recall      F1  rows%n", "class"));
        for (int c = 0; c < k; c++) {
            long actual = 0;
            long predicted = 0;
            for (int j = 0; j < k; j++) {
                actual += counts[c][j];
                predicted += counts[j][c];
            }
            double precision = predicted == 0 ? 0 : (double) counts[c][c] / predicted;
            double recall = actual == 0 ? 0 : (double) counts[c][c] / actual;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            s.append(String.format(Locale.ROOT, "%-" + width + "s  %9.4f  %6.4f  %6.4f  %4d%n", classes.get(c), precision,
                    recall, f1, actual));
        }
        s.append(String.format(Locale.ROOT, "%nconfusion matrix (rows: true class, columns: predicted)%n"));
        int cell = 2;
        for (int c = 0; c < k; c++) {
            cell = Math.max(cell, Integer.toString(c).length());
            for (long v : counts[c]) {
                cell = Math.max(cell, Long.toString(v).length());
            }
        }
        s.append(" ".repeat(width));
        for (int c = 0; c < k; c++) {
            s.append(String.format(Locale.ROOT, " %" + cell + "d", c));
        }
        s.append('\n');
        for (int r = 0; r < k; r++) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s", classes.get(r)));
            for (int c = 0; c < k; c++) {
                s.append(String.format(Locale.ROOT, " %" + cell + "d", counts[r][c]));
            }
            s.append('\n');
        }
        return new TableEvaluation(accuracy, "accuracy", s.toString());
    }
}
