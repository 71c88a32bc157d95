package dev.backprop.cli;

import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.TrainingListener;
import dev.backprop.core.train.TrainingPosition;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What {@code nn train} shows and keeps while it trains: on a terminal a progress bar per epoch (examples/s,
 * running loss, ETA) on standard error; after each epoch one line with the training loss, validation loss
 * and accuracy and the time; the metrics file, the chart, and the checkpoint.
 */
final class TrainingProgress implements TrainingListener, AutoCloseable {
    /** The validation (and optionally test) figures after an epoch; NaN where there is none. */
    record Evaluation(double validationLoss, double validationAccuracy, double testAccuracy) {
    }

    private static final long MESSAGE_INTERVAL_NANOS = 200_000_000L;

    private final PrintWriter out;
    private final boolean bar;
    private final int examplesPerEpoch;
    private final int epochs;
    private final Optimizer optimizer;
    private final Metrics metrics;
    private final Supplier<Evaluation> evaluate;
    private final Consumer<TrainingPosition> checkpoint;
    private final Path chart;
    private final String title;
    private final long runStart = System.nanoTime();
    private final double elapsedBefore;

    private ProgressBar progress;
    private long examplesThisEpoch;
    private double recentLoss = Double.NaN;
    private long lastMessage;
    private boolean chartFailed;

    TrainingProgress(PrintWriter out, boolean bar, int examplesPerEpoch, int epochs, Optimizer optimizer, Metrics metrics,
            Supplier<Evaluation> evaluate, Consumer<TrainingPosition> checkpoint, Path chart, String title) {
        this.out = out;
        this.bar = bar;
        this.examplesPerEpoch = examplesPerEpoch;
        this.epochs = epochs;
        this.optimizer = optimizer;
        this.metrics = metrics;
        this.evaluate = evaluate;
        this.checkpoint = checkpoint;
        this.chart = chart;
        this.title = title;
        this.elapsedBefore = metrics.rows().isEmpty() ? 0.0 : metrics.rows().get(metrics.rows().size() - 1).elapsedSeconds();
    }

    @Override
    public void onStep(int epoch, long step, int examples, double loss) {
        examplesThisEpoch += examples;
        // an exponential average: the loss of one mini-batch is too noisy to read
        recentLoss = Double.isNaN(recentLoss) ? loss : 0.95 * recentLoss + 0.05 * loss;
        if (!bar) {
            return;
        }
        if (progress == null) {
            progress = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                    .setInitialMax(examplesPerEpoch).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUnit(" ex", 1).showSpeed()
                    .setUpdateIntervalMillis(250).clearDisplayOnFinish().build();
            progress.stepTo(examplesThisEpoch - examples);
        }
        progress.stepBy(examples);
        long now = System.nanoTime();
        if (now - lastMessage > MESSAGE_INTERVAL_NANOS) {
            lastMessage = now;
            progress.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", recentLoss));
        }
    }

    @Override
    public void onEpoch(int epoch, double meanLoss, long nanos) {
        closeBar();
        Evaluation ev = evaluate.get();
        double seconds = nanos / 1e9;
        double elapsed = elapsedBefore + (System.nanoTime() - runStart) / 1e9;
        Metrics.Row row = new Metrics.Row(epoch, meanLoss, ev.validationLoss(), ev.validationAccuracy(), ev.testAccuracy(),
                optimizer.learningRate(), seconds, examplesThisEpoch / seconds, elapsed);
        examplesThisEpoch = 0;
        recentLoss = Double.NaN;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %" + digits(epochs) + "d/%d  loss %.4f",
                epoch, epochs, meanLoss));
        if (!Double.isNaN(ev.validationAccuracy())) {
            line.append(String.format(Locale.ROOT, "  val loss %.4f  val acc %.4f", ev.validationLoss(),
                    ev.validationAccuracy()));
        }
        if (!Double.isNaN(ev.testAccuracy())) {
            line.append(String.format(Locale.ROOT, "  test acc %.4f", ev.testAccuracy()));
        }
        line.append(String.format(Locale.ROOT, "  lr %.3g  %.1f s (%,.0f ex/s)  total %.0f s", optimizer.learningRate(),
                seconds, row.examplesPerSecond(), elapsed));
        out.println(line);
        out.flush();
        try {
            metrics.add(row);
            if (!chartFailed) {
                LearningCurves.write(chart, title, metrics.rows());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException | LinkageError e) {
            // A chart needs fonts from the system (AWT); a machine without them still trains and keeps its metrics.
            chartFailed = true;
            out.println("note: cannot draw " + chart + " (" + e + "); the figures are in " + Metrics.FILE);
        }
    }

    @Override
    public void onEpochEnd(TrainingPosition next) {
        checkpoint.accept(next);
    }

    private static int digits(int n) {
        return Integer.toString(n).length();
    }

    private void closeBar() {
        if (progress != null) {
            progress.close();
            progress = null;
        }
    }

    @Override
    public void close() {
        closeBar();
    }
}
