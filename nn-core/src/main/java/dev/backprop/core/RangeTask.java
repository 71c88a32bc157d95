package dev.backprop.core;

/**
 * Element-wise work over the indices {@code [from, to)} of a parameter array, which an engine with threads
 * of its own may run in slices side by side ({@link GradientEngine#runInSlices}): an optimizer's update
 * between two gradients, say. A task must write only the indices it is given and compute each index
 * alone, so that how the range is cut changes no bit.
 */
@FunctionalInterface
public interface RangeTask {
    /** Does the work for indices {@code [from, to)}. */
    void run(int from, int to);
}
