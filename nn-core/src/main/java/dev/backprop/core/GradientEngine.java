package dev.backprop.core;

import dev.backprop.core.data.DataSet;

/**
 * Computes Δ, the sum over examples of ∂J_i/∂W, for a range of a data set: the one contract every engine
 * (reference, SIMD, parallel, distributed) implements, so that optimizers, reductions and the trainer see
 * a single kind of result.
 *
 * <p>An engine adds to a {@link GradientSum}; it never divides by m. Implementations say whether one
 * instance may be called from several threads at once.
 */
public interface GradientEngine extends AutoCloseable {

    /** A short name for logs and the command line ({@code reference}, {@code simd}, ...). */
    String name();

    /**
     * Adds Δ, Σ J_i and the count of the examples {@code [from, to)} of {@code data} into {@code sum}.
     *
     * @throws IllegalArgumentException if the data, the range or the sum do not fit the network
     */
    void accumulate(Parameters params, DataSet data, int from, int to, GradientSum sum);

    /**
     * Writes Δ, Σ J_i and the count of the examples {@code [from, to)} into {@code sum}, replacing what it
     * held: the same bits as {@link GradientSum#reset()} followed by {@link #accumulate}, which is the
     * default. Engines that write the sum in place override it and save the pass that zeroes the sum and
     * the one that reads it back, two passes over the parameters per step (a training step's gradient
     * needs a fresh sum).
     *
     * @throws IllegalArgumentException if the data, the range or the sum do not fit the network
     */
    default void compute(Parameters params, DataSet data, int from, int to, GradientSum sum) {
        sum.reset();
        accumulate(params, data, from, to, sum);
    }

    /** Δ over the whole data set, in a new {@link GradientSum}. */
    default GradientSum accumulate(Parameters params, DataSet data) {
        GradientSum sum = GradientSum.zeros(params.network());
        accumulate(params, data, 0, data.size(), sum);
        return sum;
    }

    /**
     * The forward pass only: h(x_i) for the examples {@code [from, to)}, written row by row into
     * {@code outputs} ((to − from) × S_L values).
     */
    void predict(Parameters params, DataSet data, int from, int to, double[] outputs);

    /**
     * Runs {@code task} over {@code [0, size)}, cut into slices of at least {@code grain} indices that this
     * engine's threads take side by side when it has threads of its own, and returns when every slice is
     * done. The trainer gives it the optimizer's update, so that the work between two gradients runs on every
     * thread the gradient ran on. The default runs the whole
     * range on the calling thread.
     */
    default void runInSlices(int size, int grain, RangeTask task) {
        task.run(0, size);
    }

    /** Releases threads or buffers the engine owns. The default has nothing to release. */
    @Override
    default void close() {
    }
}
