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
    void apply(double[] weights, double[] d, double alpha, long step) {
        if (velocity == null) {
            velocity = new double[weights.length];
        }
        checkStateLength(velocity, weights);
        for (int i = 0; i < weights.length; i++) {
            double v = mu * velocity[i] + d[i];
            velocity[i] = v;
            weights[i] -= alpha * (nesterov ? d[i] + mu * v : v);
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
