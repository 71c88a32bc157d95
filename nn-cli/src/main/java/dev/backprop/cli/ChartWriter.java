package dev.backprop.cli;

import dev.backprop.core.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Draws the learning curves from the metrics, after the {@link MetricsWriter} has added the epoch's row:
 * after the first epoch, then at most once every {@link #INTERVAL_NANOS} of wall time, and once more at
 * {@link #finish()} if an epoch came after the last drawing. Drawing and encoding the PNG takes tens of
 * milliseconds, as long as a tenth of an epoch of the default recipe on two cores and longer than a whole
 * epoch of a small table, so a chart redrawn after every epoch slowed training for a picture no one
 * watches at that rate. A chart needs fonts from the system (AWT): a machine without them still trains and
 * keeps its metrics, with one note.
 */
final class ChartWriter implements TrainingListener {
    /** The shortest wall time between two drawings while training runs: 5 s. */
    static final long INTERVAL_NANOS = 5_000_000_000L;
    private final PrintWriter out;
    private final Path chart;
    private final String title;
    private final Metrics metrics;
    private final LongSupplier clock;
    private boolean failed;
    private boolean drawn;
    private long lastDrawn;
    private boolean behind;

    ChartWriter(PrintWriter out, Path chart, String title, Metrics metrics) {
        this(out, chart, title, metrics, System::nanoTime);
    }

    ChartWriter(PrintWriter out, Path chart, String title, Metrics metrics, LongSupplier clock) {
        this.out = out;
        this.chart = chart;
        this.title = title;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void onEpoch(int epoch, double meanLoss, long nanos) {
        behind = true;
        if (!drawn || clock.getAsLong() - lastDrawn >= INTERVAL_NANOS) {
            draw();
        }
    }

    /** Draws the epochs that came since the last drawing, if any: at the end of a run, however it ended. */
    void finish() {
        if (behind) {
            draw();
        }
    }

    private void draw() {
        behind = false;
        drawn = true;
        lastDrawn = clock.getAsLong();
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
