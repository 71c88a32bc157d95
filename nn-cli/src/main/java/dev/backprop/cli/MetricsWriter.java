package dev.backprop.cli;

import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * After each epoch, one line with the training loss, the validation loss and accuracy, the learning rate and
 * the time, and the same figures as a row of the metrics file. Reads the epoch's evaluation from the
 * {@link ValidationTrigger}, which must be called before it.
 */
final class MetricsWriter implements TrainingListener {
    private final PrintWriter out;
    private final int epochs;
    private final Optimizer optimizer;
    private final Metrics metrics;
    private final ValidationTrigger validation;
    private final long runStart = System.nanoTime();
    private final double elapsedBefore;
    private long examplesThisEpoch;

    MetricsWriter(PrintWriter out, int epochs, Optimizer optimizer, Metrics metrics, ValidationTrigger validation) {
        this.out = out;
        this.epochs = epochs;
        this.optimizer = optimizer;
        this.metrics = metrics;
        this.validation = validation;
        this.elapsedBefore = metrics.rows().isEmpty() ? 0.0 : metrics.rows().get(metrics.rows().size() - 1).elapsedSeconds();
    }

    @Override
    public void onStep(int epoch, long step, int examples, double loss) {
        examplesThisEpoch += examples;
    }

    @Override
    public void onEpoch(int epoch, double meanLoss, long nanos) {
        ValidationTrigger.Evaluation ev = validation.latest();
        double seconds = nanos / 1e9;
        double elapsed = elapsedBefore + (System.nanoTime() - runStart) / 1e9;
        Metrics.Row row = new Metrics.Row(epoch, meanLoss, ev.validationLoss(), ev.validationAccuracy(), ev.testAccuracy(),
                optimizer.learningRate(), seconds, examplesThisEpoch / seconds, elapsed);
        examplesThisEpoch = 0;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %" + digits(epochs) + "d/%d  loss %.4f",
                epoch, epochs, meanLoss));
        if (!Double.isNaN(ev.validationAccuracy())) {
            line.append(String.format(Locale.ROOT, "  val loss %.4f  val acc %.4f", ev.validationLoss(),
                    ev.validationAccuracy()));
        } else if (!Double.isNaN(ev.validationLoss())) {
            line.append(String.format(Locale.ROOT, "  val loss %.4f", ev.validationLoss()));
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int digits(int n) {
        return Integer.toString(n).length();
    }
}
