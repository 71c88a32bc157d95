package dev.backprop.core.train;

import java.util.List;

/** v := μ v + D; W := W − α v, or W := W − α (D + μ v) for Nesterov. */
final class Momentum extends AbstractOptimizer {
    private final double mu;
    private final boolean nesterov;
    private double[] velocity;

    Momentum(double learningRate, double mu, boolean nesterov) {
        super(learningRate);
        this.mu = checkFraction("momentum μ", mu);
        this.nesterov = nesterov;
    }

    @Override
    void prepare(int length, long step) {
        if (velocity == null) {
            velocity = new double[length];
        }
        checkStateLength(velocity, length);
    }

    @Override
    void apply(double[] weights, double[] g, double divisor, double alpha, int from, int to) {
        for (int i = from; i < to; i++) {
            double d = g[i] / divisor;
            double v = mu * velocity[i] + d;
            velocity[i] = v;
            weights[i] -= alpha * (nesterov ? d + mu * v : v);
        }
    }

    @Override
    public List<double[]> state() {
        return velocity == null ? List.of() : List.of(velocity);
    }

    @Override
    int stateArrays() {
        return 1;
    }

    @Override
    void restoreState(double[][] state) {
        velocity = state.length == 0 ? null : state[0];
    }

    @Override
    public String describe() {
        return (nesterov ? "nesterov" : "momentum") + "(lr=" + learningRate() + ", mu=" + mu + ")";
    }
}
