package dev.backprop.core.train;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Parameters;
import dev.backprop.core.RangeTask;
import dev.backprop.core.data.DataSet;

/**
 * Where the {@link Trainer} gets the gradient of a step from: Δ, Σ J_i and the count over the step's
 * examples. The trainer owns everything around it (D = Δ/m once, the L2 term, the finite check, the
 * update, the schedule, listeners, stop and resume); a source only says which examples a step sees and
 * adds them up, on one machine ({@link #of(GradientEngine, DataSet)}) or on a cluster.
 */
public interface StepGradient {

    /** m, the examples of one epoch. */
    int size();

    /**
     * True if the steps take their examples from the trainer's seeded permutation of [0, m), in which case
     * {@link #compute} gets it; false for a source that picks a step's examples itself (from the step
     * number), so that the trainer need not hold m indices.
     */
    default boolean ordered() {
        return true;
    }

    /**
     * Called once at the start of a call to {@link Trainer#train}, with the examples per step ({@code m} for
     * the full batch) and the run's seed, for a source that draws each step's examples itself.
     */
    default void begin(int batch, long seed) {
    }

    /**
     * Writes into {@code sum}, replacing what it held, Δ, Σ J_i and the count of step {@code step}
     * (counting from 0 over the whole run), which covers positions {@code [from, to)} of an epoch.
     *
     * @param order the epoch's permutation of the examples, or null when the step is the whole data set in
     *     its own order (full-batch gradient descent) or the source is not {@link #ordered()}
     */
    void compute(Parameters params, int[] order, int from, int to, long step, GradientSum sum);

    /**
     * Runs element-wise work of the step on this source's threads, as {@link GradientEngine#runInSlices}
     * does: the trainer gives it the optimizer's update. The default runs it on the calling thread.
     */
    default void runInSlices(int size, int grain, RangeTask task) {
        task.run(0, size);
    }

    /**
     * The steps of {@code engine} over {@code data}: the whole set in place, or a shuffled mini-batch read
     * through a view of the epoch's order ({@link DataSet#reordered}), made once per order array, so that a
     * step neither copies the batch nor allocates: the engine reads the batch's rows straight into its own
     * blocks, on its own threads.
     */
    static StepGradient of(GradientEngine engine, DataSet data) {
        return new StepGradient() {
            private int[] viewed;
            private DataSet view;

            @Override
            public int size() {
                return data.size();
            }

            @Override
            public void runInSlices(int size, int grain, RangeTask task) {
                engine.runInSlices(size, grain, task);
            }

            @Override
            public void compute(Parameters params, int[] order, int from, int to, long step, GradientSum sum) {
                if (order == null) {
                    engine.compute(params, data, from, to, sum);
                    return;
                }
                if (viewed != order) {
                    view = data.reordered(order);
                    viewed = order;
                }
                engine.compute(params, view, from, to, sum);
            }
        };
    }
}
