package dev.backprop.core.train;

import dev.backprop.core.RangeTask;

import java.util.List;

/**
 * The learning rate, the step count and the size check shared by the optimizers, and the cut of a step
 * into slices: a step is {@link #prepare} once (state, per-step constants), then {@link #apply} over
 * ranges of the weights, which an engine's threads may take side by side. Every index is computed alone,
 * so the weights have the same bits however the range is cut.
 */
abstract class AbstractOptimizer implements Optimizer, RangeTask {
    private double learningRate;
    private long steps;
    // The step in progress, read by the slices: set before the engine runs them, cleared after.
    private double[] stepWeights;
    private double[] stepGradient;
    private double stepDivisor;
    /** Weights per thread below which a step is not worth a worker's wake-up. */
    static final int SLICE = 8192;

    AbstractOptimizer(double learningRate) {
        setLearningRate(learningRate);
    }

    @Override
    public final void update(double[] weights, double[] d) {
        step(weights, d, 1.0, null);
    }

    /**
     * One step from the gradient D = {@code g} / {@code divisor}, element by element (the division is
     * exact for a divisor of 1, so an array that already holds D passes 1): the trainer passes Δ and m, which
     * saves the pass that writes D. The slices run on {@code source}'s threads, or on this thread when it is
     * null.
     */
    final void step(double[] weights, double[] g, double divisor, StepGradient source) {
        if (weights.length != g.length) {
            throw new IllegalArgumentException("gradient has " + g.length + " entries for " + weights.length + " weights");
        }
        steps++;
        prepare(weights.length, steps);
        stepWeights = weights;
        stepGradient = g;
        stepDivisor = divisor;
        try {
            if (source == null) {
                run(0, weights.length);
            } else {
                source.runInSlices(weights.length, SLICE, this);
            }
        } finally {
            stepWeights = null;
            stepGradient = null;
        }
    }

    /** A slice of the step in progress. */
    @Override
    public final void run(int from, int to) {
        apply(stepWeights, stepGradient, stepDivisor, learningRate, from, to);
    }

    /** Makes the state for {@code length} weights on first use and the constants of step {@code step} (from 1). */
    abstract void prepare(int length, long step);

    /** Indices [from, to) of the step: W from D_i = g_i / divisor, with learning rate {@code alpha}. */
    abstract void apply(double[] weights, double[] g, double divisor, double alpha, int from, int to);

    @Override
    public final double learningRate() {
        return learningRate;
    }

    @Override
    public final void setLearningRate(double learningRate) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("the learning rate must be positive and finite, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    @Override
    public final long steps() {
        return steps;
    }

    @Override
    public final void restore(long steps, List<double[]> state) {
        if (steps < 0) {
            throw new IllegalArgumentException("the step count must be 0 or more, got " + steps);
        }
        int expected = steps == 0 ? 0 : stateArrays();
        if (state.size() != expected) {
            throw new IllegalArgumentException(describe() + " after " + steps + " steps has " + expected
                    + " state arrays, got " + state.size());
        }
        for (int i = 1; i < state.size(); i++) {
            if (state.get(i).length != state.get(0).length) {
                throw new IllegalArgumentException("state array " + i + " has " + state.get(i).length
                        + " entries, array 0 has " + state.get(0).length);
            }
        }
        double[][] copies = new double[state.size()][];
        for (int i = 0; i < copies.length; i++) {
            copies[i] = state.get(i).clone();
        }
        restoreState(copies);
        this.steps = steps;
    }

    /** How many arrays {@link #state()} holds once a step has been taken. */
    abstract int stateArrays();

    /** Adopts {@code state}, already checked and copied; empty means "before the first step". */
    abstract void restoreState(double[][] state);

    /** A restored state must be for these weights. */
    static void checkStateLength(double[] state, int weights) {
        if (state.length != weights) {
            throw new IllegalArgumentException("the optimizer state was restored for " + state.length
                    + " weights, but the network has " + weights);
        }
    }

    static double checkFraction(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
        return value;
    }
}
