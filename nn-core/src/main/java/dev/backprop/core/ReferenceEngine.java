package dev.backprop.core;

import dev.backprop.core.data.DataSet;

/**
 * The sequential reference engine: docs/MATH.md loop by loop, in double precision, one example at a time. It
 * is written to be checked against the page, not to be fast; every faster engine is tested against it.
 *
 * <p>Inside, layers are numbered 1..L and units 1..S_l exactly as in docs/MATH.md: {@code a[l][0]} is the bias
 * unit a_0^(l) = 1 and {@code a[l][1..S_l]} the activations; {@code z[l]} and {@code delta[l]} use indices
 * 1..S_l too. Weight w_jk^(l) is {@code W(l, j, k)}, with k = 0 the bias column when the bias is on.
 *
 * <p>Thread-safe: work arrays are made per call, so one instance can serve many threads.
 */
public final class ReferenceEngine implements GradientEngine {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public void accumulate(Parameters params, DataSet data, int from, int to, GradientSum sum) {
        Shapes.checkGradient(params, data, from, to, sum);
        Pass pass = new Pass(params);
        double[] deltaSum = sum.deltaSum();
        double lossSum = 0.0;
        for (int i = from; i < to; i++) {
            lossSum += pass.backPropagate(data, i, deltaSum);
        }
        sum.addExamples(to - from, lossSum);
    }

    @Override
    public void predict(Parameters params, DataSet data, int from, int to, double[] outputs) {
        Shapes.checkPrediction(params, data, from, to, outputs);
        Pass pass = new Pass(params);
        int sL = params.network().outputs();
        for (int i = from; i < to; i++) {
            pass.forward(data, i);
            System.arraycopy(pass.a[pass.L], 1, outputs, (i - from) * sL, sL);
        }
    }

    /** h(x) for one example. */
    public double[] predict(Parameters params, double[] x) {
        Network network = params.network();
        if (x.length != network.inputs()) {
            throw new IllegalArgumentException("the example has " + x.length + " inputs, but the network's input layer has "
                    + network.inputs() + " units");
        }
        Pass pass = new Pass(params);
        System.arraycopy(x, 0, pass.a[1], 1, x.length);
        pass.forwardFromInput();
        double[] h = new double[network.outputs()];
        System.arraycopy(pass.a[pass.L], 1, h, 0, h.length);
        return h;
    }

    /**
     * One example worked through forward and backward, with every intermediate kept: for readers checking
     * the page by hand and for tests. Arrays are indexed as in docs/MATH.md: {@code z()[l][j]} is z_j^(l) for
     * l = 2..L, j = 1..S_l; {@code a()[l][k]} is a_k^(l) for l = 1..L with {@code a()[l][0] = 1};
     * {@code delta()[l][j]} is δ_j^(l) for l = 2..L; {@code gradient()} is ∂J_i/∂W in the flat layout.
     */
    public record Trace(double[][] z, double[][] a, double[][] delta, double cost, double[] gradient) {
    }

    /** Works one example (x, y) through the network and returns every intermediate value. */
    public Trace trace(Parameters params, double[] x, double[] y) {
        Network network = params.network();
        DataSet one = DataSet.ofDoubles(x, network.inputs(), y, y.length);
        GradientSum sum = GradientSum.zeros(network);
        Shapes.checkGradient(params, one, 0, 1, sum);
        Pass pass = new Pass(params);
        double cost = pass.backPropagate(one, 0, sum.deltaSum());
        return new Trace(deepCopy(pass.z), deepCopy(pass.a), deepCopy(pass.delta), cost, sum.deltaSum());
    }

    private static double[][] deepCopy(double[][] rows) {
        double[][] copy = new double[rows.length][];
        for (int l = 0; l < rows.length; l++) {
            copy[l] = rows[l] == null ? null : rows[l].clone();
        }
        return copy;
    }

    /** The arrays of one forward and backward pass, in docs/MATH.md's numbering. */
    private static final class Pass {
        final Network network;
        final double[] weights;
        final int L;
        final int[] S;
        final int biasColumn;
        final double[][] a;
        final double[][] z;
        final double[][] delta;
        final double[] y;

        Pass(Parameters params) {
            network = params.network();
            weights = params.values();
            L = network.layers();
            S = new int[L + 1];
            for (int l = 1; l <= L; l++) {
                S[l] = network.units(l - 1);
            }
            biasColumn = network.bias() ? 1 : 0;
            a = new double[L + 1][];
            z = new double[L + 1][];
            delta = new double[L + 1][];
            for (int l = 1; l <= L; l++) {
                a[l] = new double[S[l] + 1];
                a[l][0] = 1.0; // a_0^(l) = 1, the bias unit (read only when the bias is on)
                z[l] = new double[S[l] + 1];
                delta[l] = new double[S[l] + 1];
            }
            y = new double[S[L] + 1];
        }

        /** The flat index of w_jk^(l), j = 1..S_{l+1}, k = 0..S_l (k = 0 only with the bias on). */
        int W(int l, int j, int k) {
            int columns = S[l] + biasColumn;
            return network.weightOffset(l - 1) + (j - 1) * columns + (k - 1 + biasColumn);
        }

        /** g of layer l. */
        Activation g(int l) {
            return network.activation(l - 1);
        }

        void forward(DataSet data, int i) {
            data.readInputs(i, a[1], 1); // a^(1) = x
            forwardFromInput();
        }

        /** z^(l+1) = W^(l) a^(l), a^(l+1) = g(z^(l+1)), for l = 1 .. L−1. */
        void forwardFromInput() {
            for (int l = 1; l < L; l++) {
                for (int j = 1; j <= S[l + 1]; j++) {
                    double zj = 0.0;
                    for (int k = 1 - biasColumn; k <= S[l]; k++) {
                        zj += weights[W(l, j, k)] * a[l][k];
                    }
                    z[l + 1][j] = zj;
                }
                if (g(l + 1) == Activation.SOFTMAX) {
                    Activation.softmax(z[l + 1], a[l + 1], 1, S[l + 1]);
                } else {
                    for (int j = 1; j <= S[l + 1]; j++) {
                        a[l + 1][j] = g(l + 1).apply(z[l + 1][j]);
                    }
                }
            }
        }

        /** Forward, the cost J_i, δ for layers L..2, and Δ^(l)_jk += δ_j^(l+1) a_k^(l). Returns J_i. */
        double backPropagate(DataSet data, int i, double[] deltaSum) {
            forward(data, i);
            data.readTargets(i, y, 1);

            double cost = 0.0;
            if (network.cost() == Cost.HALF_SSE) {
                // J_i = Σ_k ½ (h(x_i)_k − y_ik)²
                for (int k = 1; k <= S[L]; k++) {
                    double e = a[L][k] - y[k];
                    cost += 0.5 * e * e;
                }
                // δ^(L) = (a^(L) − y) .* g'(z^(L))
                for (int j = 1; j <= S[L]; j++) {
                    delta[L][j] = (a[L][j] - y[j]) * g(L).derivative(z[L][j], a[L][j]);
                }
            } else {
                // J_i = −Σ_k y_ik ln a_k, with ln a_k = z_k − ln Σ_j e^{z_j} (no log of an underflowed a_k)
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 1; k <= S[L]; k++) {
                    max = Math.max(max, z[L][k]);
                }
                double sumExp = 0.0;
                for (int k = 1; k <= S[L]; k++) {
                    sumExp += StrictMath.exp(z[L][k] - max);
                }
                double logSumExp = max + StrictMath.log(sumExp);
                for (int k = 1; k <= S[L]; k++) {
                    cost -= y[k] * (z[L][k] - logSumExp);
                }
                // softmax with cross-entropy: δ^(L) = a^(L) − y
                for (int j = 1; j <= S[L]; j++) {
                    delta[L][j] = a[L][j] - y[j];
                }
            }

            // δ^(l) = [ (W^(l))^T δ^(l+1) ] .* g'(z^(l)) for l = L−1 .. 2; the bias unit (k = 0) has no δ
            for (int l = L - 1; l >= 2; l--) {
                for (int k = 1; k <= S[l]; k++) {
                    double back = 0.0;
                    for (int j = 1; j <= S[l + 1]; j++) {
                        back += weights[W(l, j, k)] * delta[l + 1][j];
                    }
                    delta[l][k] = back * g(l).derivative(z[l][k], a[l][k]);
                }
            }

            // Δ^(l)_jk += δ_j^(l+1) a_k^(l), with a_0^(l) = 1 for the bias column
            for (int l = 1; l < L; l++) {
                for (int j = 1; j <= S[l + 1]; j++) {
                    for (int k = 1 - biasColumn; k <= S[l]; k++) {
                        deltaSum[W(l, j, k)] += delta[l + 1][j] * a[l][k];
                    }
                }
            }
            return cost;
        }
    }
}
