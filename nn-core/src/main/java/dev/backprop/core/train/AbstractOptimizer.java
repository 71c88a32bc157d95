package dev.backprop.core.train;

import java.util.List;

/** The learning rate, the step count and the size check shared by the optimizers. */
abstract class AbstractOptimizer implements Optimizer {
    private double learningRate;
    private long steps;

    AbstractOptimizer(double learningRate) {
        setLearningRate(learningRate);
    }

    @Override
    public final void update(double[] weights, double[] d) {
        if (weights.length != d.length) {
            throw new IllegalArgumentException("gradient has " + d.length + " entries for " + weights.length + " weights");
        }
        steps++;
        apply(weights, d, learningRate, steps);
    }

    /** One step; {@code step} counts from 1. */
    abstract void apply(double[] weights, double[] d, double alpha, long step);

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
    static void checkStateLength(double[] state, double[] weights) {
        if (state.length != weights.length) {
            throw new IllegalArgumentException("the optimizer state was restored for " + state.length
                    + " weights, but the network has " + weights.length);
        }
    }

    static double checkFraction(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
        return value;
    }
}
