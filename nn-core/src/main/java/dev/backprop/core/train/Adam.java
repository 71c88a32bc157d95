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
    private double correction1;
    private double correction2;

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
    void prepare(int length, long step) {
        if (m == null) {
            m = new double[length];
            v = new double[length];
        }
        checkStateLength(m, length);
        // StrictMath.pow: the same bits on every JDK, so training is reproducible across JVMs
        correction1 = 1.0 - StrictMath.pow(beta1, step);
        correction2 = 1.0 - StrictMath.pow(beta2, step);
    }

    @Override
    void apply(double[] weights, double[] g, double divisor, double alpha, int from, int to) {
        double c1 = correction1;
        double c2 = correction2;
        for (int i = from; i < to; i++) {
            double d = g[i] / divisor;
            double mi = beta1 * m[i] + (1.0 - beta1) * d;
            double vi = beta2 * v[i] + (1.0 - beta2) * d * d;
            m[i] = mi;
            v[i] = vi;
            double mHat = mi / c1;
            double vHat = vi / c2;
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
