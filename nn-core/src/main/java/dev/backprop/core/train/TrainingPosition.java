package dev.backprop.core.train;

/**
 * Where a training run stands between two steps: everything besides the weights and the optimizer's state
 * that a resumed run needs to continue with the same bits as one that never stopped.
 *
 * @param epoch the epoch of the next step, from 1
 * @param batch the index of the next batch within that epoch, from 0
 * @param steps the steps taken so far over the whole run
 * @param epochLossSum Σ J_i over the examples of the current epoch seen so far
 * @param shuffleState the state of the {@link dev.backprop.core.SeededRandom} that orders the current
 *     epoch's examples, taken before it shuffled them
 */
public record TrainingPosition(int epoch, int batch, long steps, double epochLossSum, long shuffleState) {

    public TrainingPosition {
        if (epoch < 1 || batch < 0 || steps < 0) {
            throw new IllegalArgumentException("impossible training position: epoch " + epoch + ", batch " + batch
                    + ", step " + steps);
        }
        if (!Double.isFinite(epochLossSum)) {
            throw new IllegalArgumentException("impossible training position: the epoch's loss so far is " + epochLossSum);
        }
    }

    /** The start of a run seeded with {@code seed}. */
    public static TrainingPosition start(long seed) {
        return new TrainingPosition(1, 0, 0, 0.0, new dev.backprop.core.SeededRandom(seed).state());
    }

    /** True at an epoch boundary (no step of {@link #epoch()} taken yet). */
    public boolean atEpochStart() {
        return batch == 0;
    }
}
