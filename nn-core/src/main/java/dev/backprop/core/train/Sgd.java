package dev.backprop.core.train;

import java.util.List;

/** W := W − α D. */
final class Sgd extends AbstractOptimizer {
    Sgd(double learningRate) {
        super(learningRate);
    }

    @Override
    void apply(double[] weights, double[] d, double alpha, long step) {
        for (int i = 0; i < weights.length; i++) {
            weights[i] -= alpha * d[i];
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
