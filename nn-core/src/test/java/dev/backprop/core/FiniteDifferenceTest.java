package dev.backprop.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.data.DataSet;
import dev.backprop.core.testing.RandomProblems;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/MATH.md's first check: (J(w+ε) − J(w−ε)) / 2ε agrees with D for every weight, within a relative 1e-6 in
 * double precision, for every activation × cost × bias setting on random 3- and 4-layer networks of odd sizes.
 */
class FiniteDifferenceTest {
    private static final double EPSILON = 1e-5;
    private static final double RELATIVE = 1e-6;
    /** Below this, a gradient entry is compared absolutely: central differences cannot resolve it relatively. */
    private static final double FLOOR = 1e-7;

    static Stream<Arguments> settings() {
        List<Arguments> cases = new ArrayList<>();
        int[][] shapes = {{3, 5, 2}, {4, 3, 7, 3}};
        Activation[] scalar = {Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.IDENTITY};
        long seed = 11;
        for (int[] shape : shapes) {
            for (boolean bias : new boolean[] {true, false}) {
                for (Activation hidden : scalar) {
                    for (Activation output : scalar) {
                        cases.add(Arguments.of(shape, hidden, output, bias, seed++));
                    }
                    cases.add(Arguments.of(shape, hidden, Activation.SOFTMAX, bias, seed++));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} hidden={1} output={2} bias={3}")
    @MethodSource("settings")
    void centralDifferencesAgreeWithBackPropagation(int[] shape, Activation hidden, Activation output, boolean bias,
            long seed) {
        Network network = RandomProblems.network(shape, hidden, output, bias);
        Parameters p = RandomProblems.parameters(network, 0.8, seed);
        DataSet data = RandomProblems.data(network, 5, seed + 1000, true);
        ReferenceEngine engine = new ReferenceEngine();
        double[] d = engine.accumulate(p, data).gradient();

        double[] w = p.values();
        double worst = 0.0;
        for (int i = 0; i < w.length; i++) {
            double saved = w[i];
            w[i] = saved + EPSILON;
            double plus = engine.accumulate(p, data).loss();
            w[i] = saved - EPSILON;
            double minus = engine.accumulate(p, data).loss();
            w[i] = saved;
            double numeric = (plus - minus) / (2 * EPSILON);
            double scale = Math.max(Math.max(Math.abs(numeric), Math.abs(d[i])), FLOOR);
            double error = Math.abs(numeric - d[i]) / scale;
            worst = Math.max(worst, error);
            int index = i;
            assertTrue(error <= RELATIVE, () -> "weight " + index + " of " + network + ": numeric " + numeric
                    + " vs back-propagation " + d[index]);
        }
        assertTrue(worst <= RELATIVE);
    }
}
