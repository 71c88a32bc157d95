package dev.backprop.cli;

import dev.backprop.core.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Redraws the learning curves from the metrics after each epoch, after the {@link MetricsWriter} has added
 * the epoch's row. A chart needs fonts from the system (AWT): a machine without them still trains and keeps
 * its metrics, with one note.
 */
final class ChartWriter implements TrainingListener {
    private final PrintWriter out;
    private final Path chart;
    private final String title;
    private final Metrics metrics;
    private boolean failed;

    ChartWriter(PrintWriter out, Path chart, String title, Metrics metrics) {
        this.out = out;
        this.chart = chart;
        this.title = title;
        this.metrics = metrics;
    }

    @Override
    public void onEpoch(int epoch, double meanLoss, long nanos) {
        if (failed) {
            return;
        }
        try {
            LearningCurves.write(chart, title, metrics.rows());
        } catch (IOException | RuntimeException | LinkageError e) {
            // Nor does a chart that cannot be written hold up the epoch's checkpoint, which comes after it.
            failed = true;
            out.println("note: cannot draw " + chart + " (" + e + "); the figures are in " + Metrics.FILE);
        }
    }
}
