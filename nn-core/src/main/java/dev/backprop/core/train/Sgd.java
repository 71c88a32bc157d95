package dev.backprop.core.train;

import java.util.List;

/** W := W − α D. */
final class Sgd extends AbstractOptimizer {
    Sgd(double learningRate) {
        super(learningRate);
    }

    @Override
    void prepare(int length, long step) {
        // nothing to keep, nothing that changes with the step
    }

    @Override
    void apply(double[] weights, double[] g, double divisor, double alpha, int from, int to) {
        for (int i = from; i < to; i++) {
            weights[i] -= alpha * (g[i] / divisor);
        }
    }

    @Override
    public List<double[]> state() {
        return List.of();
    }

    @Override
    int stateArrays() {
        return 0;
    }

    @Override
    void restoreState(double[][] state) {
        // plain gradient descent keeps nothing between steps
    }

    @Override
    public String describe() {
        return "sgd(lr=" + learningRate() + ")";
    }
}
