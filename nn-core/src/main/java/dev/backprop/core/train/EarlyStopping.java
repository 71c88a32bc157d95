package dev.backprop.core.train;

/**
 * Stops training once the validation loss has not improved for {@code patience} epochs, and remembers
 * which epoch was best so that its weights can be kept. An improvement is a loss strictly lower than the
 * best so far; the tracker holds no weights itself, so its whole state is replayed from the losses of the
 * epochs before a resumed position ({@link #record} them again) and the run ends with the same bits.
 */
public final class EarlyStopping {
    private final int patience;
    private int bestEpoch;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int epochsWithout;

    /** A tracker that stops after {@code patience} epochs without improvement. */
    public EarlyStopping(int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("--patience must be at least 1 epoch, got " + patience);
        }
        this.patience = patience;
    }

    /** Records epoch {@code epoch}'s validation loss; true if it is the best so far. */
    public boolean record(int epoch, double validationLoss) {
        if (validationLoss < bestLoss) {
            bestLoss = validationLoss;
            bestEpoch = epoch;
            epochsWithout = 0;
            return true;
        }
        epochsWithout++;
        return false;
    }

    /** Whether the last {@code patience} epochs brought no improvement. */
    public boolean shouldStop() {
        return epochsWithout >= patience;
    }

    /** The epoch of the lowest validation loss, 0 before any. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The lowest validation loss so far. */
    public double bestLoss() {
        return bestLoss;
    }

    /** N, the epochs without improvement that stop training. */
    public int patience() {
        return patience;
    }
}
