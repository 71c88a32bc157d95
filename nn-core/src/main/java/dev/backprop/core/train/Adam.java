package dev.backprop.core.train;

import java.util.List;

/**
 * Kingma and Ba: m := β1 m + (1 − β1) D, v := β2 v + (1 − β2) D², W := W − α m̂ / (√v̂ + ε) with the
 * bias-corrected m̂ = m / (1 − β1^t) and v̂ = v / (1 − β2^t).
 */
final class Adam extends AbstractOptimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private double[] m;
    private double[] v;

    Adam(double learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate);
        this.beta1 = checkFraction("Adam β1", beta1);
        this.beta2 = checkFraction("Adam β2", beta2);
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("Adam ε must be positive, got " + epsilon);
        }
        this.epsilon = epsilon;
    }

    @Override
    void apply(double[] weights, double[] d, double alpha, long step) {
        if (m == null) {
            m = new double[weights.length];
            v = new double[weights.length];
        }
        checkStateLength(m, weights);
        // StrictMath.pow: the same bits on every JDK, so training is reproducible across JVMs
        double correction1 = 1.0 - StrictMath.pow(beta1, step);
        double correction2 = 1.0 - StrictMath.pow(beta2, step);
        for (int i = 0; i < weights.length; i++) {
            m[i] = beta1 * m[i] + (1.0 - beta1) * d[i];
            v[i] = beta2 * v[i] + (1.0 - beta2) * d[i] * d[i];
            double mHat = m[i] / correction1;
            double vHat = v[i] / correction2;
            weights[i] -= alpha * mHat / (Math.sqrt(vHat) + epsilon);
        }
    }

    @Override
    public List<double[]> state() {
        return m == null ? List.of() : List.of(m, v);
    }

    @Override
    int stateArrays() {
        return 2;
    }

    @Override
    void restoreState(double[][] state) {
        m = state.length == 0 ? null : state[0];
        v = state.length == 0 ? null : state[1];
    }

    @Override
    public String describe() {
        return "adam(lr=" + learningRate() + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + epsilon + ")";
    }
}
