package dev.backprop.core.train;

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

    static double checkFraction(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
        return value;
    }
}
