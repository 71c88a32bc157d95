package dev.backprop.core.train;

/**
 * Called by the {@link Trainer} after each step and each epoch, on the training thread, for progress
 * bars, metrics and checkpoints. Arguments are primitives so that a step allocates nothing.
 */
public interface TrainingListener {

    /**
     * After step {@code step} (counting from 1 over the whole run) of epoch {@code epoch} (from 1), which
     * used {@code examples} examples whose cost J (with the L2 penalty, before the update) was {@code loss}.
     */
    default void onStep(int epoch, long step, int examples, double loss) {
    }

    /**
     * After epoch {@code epoch}: {@code meanLoss} is Σ J_i / m over the epoch's examples, each taken with
     * the weights of its step; {@code nanos} the epoch's wall time.
     */
    default void onEpoch(int epoch, double meanLoss, long nanos) {
    }

    /**
     * After every listener's {@link #onEpoch}: {@code next} is where a resumed run would continue, the point
     * at which to write a checkpoint of the weights and the optimizer's state.
     */
    default void onEpochEnd(TrainingPosition next) {
    }
}
