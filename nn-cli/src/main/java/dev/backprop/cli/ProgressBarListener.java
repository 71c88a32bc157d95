package dev.backprop.cli;

import dev.backprop.core.train.TrainingListener;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * On a terminal, a progress bar per epoch on standard error: examples/s, the running loss, the ETA. It is
 * cleared at the end of the epoch, before the epoch's line is printed; off a terminal it shows nothing.
 */
final class ProgressBarListener implements TrainingListener, AutoCloseable {
    private static final long MESSAGE_INTERVAL_NANOS = 200_000_000L;

    private final boolean bar;
    private final int examplesPerEpoch;
    private final int epochs;
    private ProgressBar progress;
    private long examplesThisEpoch;
    private double recentLoss = Double.NaN;
    private long lastMessage;

    ProgressBarListener(boolean bar, int examplesPerEpoch, int epochs) {
        this.bar = bar;
        this.examplesPerEpoch = examplesPerEpoch;
        this.epochs = epochs;
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
        close();
        examplesThisEpoch = 0;
        recentLoss = Double.NaN;
    }

    @Override
    public void close() {
        if (progress != null) {
            progress.close();
            progress = null;
        }
    }
}
