package dev.backprop.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.Activation;
import dev.backprop.core.Cost;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Initializer;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.SeededRandom;
import dev.backprop.core.data.DataSet;

/**
 * Random networks, weights and data for tests that compare engines, shared with the other modules
 * through nn-core's test jar. Everything is drawn from a seed, so a failing case can be replayed.
 */
public final class RandomProblems {
    private RandomProblems() {
    }

    /** A network with the given sizes, one activation on the hidden layers, and the output matching the cost. */
    public static Network network(int[] units, Activation hidden, Activation output, boolean bias) {
        Network.Builder b = Network.builder(units).hiddenActivation(hidden).outputActivation(output).bias(bias);
        if (output == Activation.SOFTMAX) {
            b.cost(Cost.CROSS_ENTROPY);
        }
        return b.build();
    }

    /** Weights uniform in [−scale, scale], bias weights included. */
    public static Parameters parameters(Network network, double scale, long seed) {
        return Parameters.initialize(network, Initializer.uniform(scale), seed);
    }

    /**
     * m examples with inputs uniform in [−1, 1] and targets that suit the cost: one-hot for softmax with
     * cross-entropy, uniform in [0, 1] otherwise. Stored in float64 when {@code doubles}, else float32.
     */
    public static DataSet data(Network network, int m, long seed, boolean doubles) {
        SeededRandom random = new SeededRandom(seed);
        int in = network.inputs();
        int out = network.outputs();
        double[] x = new double[m * in];
        double[] y = new double[m * out];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble(-1, 1);
        }
        for (int i = 0; i < m; i++) {
            if (network.cost() == Cost.CROSS_ENTROPY) {
                y[i * out + random.nextInt(out)] = 1.0;
            } else {
                for (int k = 0; k < out; k++) {
                    y[i * out + k] = random.nextDouble();
                }
            }
        }
        if (doubles) {
            return DataSet.ofDoubles(x, in, y, out);
        }
        float[] xf = new float[x.length];
        float[] yf = new float[y.length];
        for (int i = 0; i < x.length; i++) {
            xf[i] = (float) x[i];
        }
        for (int i = 0; i < y.length; i++) {
            yf[i] = (float) y[i];
        }
        return DataSet.ofFloats(xf, in, yf, out);
    }

    /**
     * Asserts that a float engine's result agrees with the reference's: the same count, every entry of D
     * within {@code gradientTolerance} × the largest |D| of the reference, and J within a relative
     * {@code lossTolerance}.
     */
    public static void assertGradientsClose(GradientSum expected, GradientSum actual, double gradientTolerance,
            double lossTolerance, String what) {
        assertEquals(expected.count(), actual.count(), what);
        double[] d0 = expected.gradient();
        double[] d1 = actual.gradient();
        double scale = 0.0;
        for (double v : d0) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0.0;
        for (int i = 0; i < d0.length; i++) {
            worst = Math.max(worst, Math.abs(d0[i] - d1[i]));
        }
        double w = worst;
        double s = scale;
        assertTrue(worst <= gradientTolerance * Math.max(scale, 1e-6),
                () -> what + ": max |ΔD| " + w + " against max |D| " + s);
        assertEquals(expected.loss(), actual.loss(), lossTolerance * Math.max(1.0, Math.abs(expected.loss())), what);
    }
}
