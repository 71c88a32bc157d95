package dev.backprop.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.core.Activation;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.testing.Allocations;
import dev.backprop.core.testing.RandomProblems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SIMD engine against the reference on random networks whose sizes do not divide the vector width,
 * every activation and cost, bias on and off, batches that span several blocks and end in a partial
 * one. Runs under every forced width (see the Surefire executions of this module's pom).
 *
 * <p>Tolerance: the engine computes in float32 (24-bit mantissa) and sums up to a few hundred products
 * per value. Every entry of D must be within 1e-4 of the largest |D| of the reference, and the cost
 * within a relative 1e-5.
 */
class SimdEngineTest {
    private static final double GRADIENT_TOLERANCE = 1e-4;
    private static final double LOSS_TOLERANCE = 1e-5;
    /** Long enough for the JIT to compile the kernels, after which the Vector API stops boxing vectors. */
    private static final Duration WARM_UP = Duration.ofSeconds(60);

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        int[][] shapes = {{1, 1}, {3, 17, 1}, {33, 3, 17}, {17, 33, 207, 3}, {785, 33, 17}, {207, 1, 33}};
        Activation[] scalar = {Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.IDENTITY};
        int[] batches = {1, 3, 17, 33, 207};
        long seed = 100;
        for (int[] shape : shapes) {
            for (boolean bias : new boolean[] {true, false}) {
                for (Activation hidden : scalar) {
                    Activation[] outputs = shape[shape.length - 1] > 1
                            ? new Activation[] {hidden, Activation.SOFTMAX} : new Activation[] {hidden};
                    for (Activation output : outputs) {
                        int m = batches[(int) (seed % batches.length)];
                        cases.add(Arguments.of(shape, hidden, output, bias, m, seed++));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} hidden={1} output={2} bias={3} m={4}")
    @MethodSource("cases")
    void matchesTheReferenceWithinFloatTolerance(int[] shape, Activation hidden, Activation output, boolean bias,
            int m, long seed) {
        Network network = RandomProblems.network(shape, hidden, output, bias);
        Parameters p = RandomProblems.parameters(network, 0.3, seed);
        DataSet data = RandomProblems.data(network, m, seed + 1, false);
        GradientSum expected = new ReferenceEngine().accumulate(p, data);
        for (SimdEngine engine : List.of(new SimdEngine(16), new SimdEngine(VectorSupport.scalarKernels(), 7))) {
            GradientSum actual = engine.accumulate(p, data);
            assertClose(expected, actual, engine.kernels().name() + " block " + engine.blockSize());
        }
    }

    @Test
    void aCallAddsToTheSumAndRangesSplitTheBatch() {
        Network network = RandomProblems.network(new int[] {20, 9, 4}, Activation.TANH, Activation.SOFTMAX, true);
        Parameters p = RandomProblems.parameters(network, 0.4, 1);
        DataSet data = RandomProblems.data(network, 50, 2, false);
        SimdEngine engine = new SimdEngine(8);
        GradientSum whole = engine.accumulate(p, data);
        GradientSum parts = GradientSum.zeros(network);
        engine.accumulate(p, data, 0, 21, parts);
        engine.accumulate(p, data, 21, 50, parts);
        assertEquals(50, parts.count());
        assertClose(whole, parts, "split");
        GradientSum again = engine.accumulate(p, data);
        assertArrayEquals(whole.deltaSum(), again.deltaSum(), 0.0, "the same call twice gives the same bits");
    }

    @Test
    void aCallInTheSteadyStateAllocatesNothing() {
        Network network = RandomProblems.network(new int[] {40, 33, 7}, Activation.SIGMOID, Activation.SIGMOID, true);
        Parameters p = RandomProblems.parameters(network, 0.3, 5);
        DataSet data = RandomProblems.data(network, 70, 6, false);
        GradientSum sum = GradientSum.zeros(network);
        double[] outputs = new double[70 * 7];
        SimdEngine engine = new SimdEngine(16);
        assertEquals(0, Allocations.fewestBytesPerCall(() -> engine.compute(p, data, 0, 70, sum), 0, WARM_UP),
                "bytes allocated by a gradient call");
        assertEquals(0, Allocations.fewestBytesPerCall(() -> engine.accumulate(p, data, 0, 70, sum), 0, WARM_UP),
                "bytes allocated by an accumulating call");
        assertEquals(0, Allocations.fewestBytesPerCall(() -> engine.predict(p, data, 0, 70, outputs), 0, WARM_UP),
                "bytes allocated by a prediction");
    }

    @Test
    void predictionsMatchTheReference() {
        Network network = RandomProblems.network(new int[] {33, 17, 5}, Activation.RELU, Activation.SOFTMAX, true);
        Parameters p = RandomProblems.parameters(network, 0.4, 3);
        DataSet data = RandomProblems.data(network, 37, 4, false);
        double[] expected = new double[37 * 5];
        double[] actual = new double[37 * 5];
        new ReferenceEngine().predict(p, data, 0, 37, expected);
        new SimdEngine(16).predict(p, data, 0, 37, actual);
        assertArrayEquals(expected, actual, 1e-6);
    }

    @Test
    void badShapesAreRefusedBeforeAnyWork() {
        Network network = Network.of(3, 2);
        DataSet data = DataSet.ofFloats(new float[4], 4, new float[2], 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SimdEngine().accumulate(Parameters.zeros(network), data));
        assertEquals("the data has 4 inputs per example, but the network's input layer has 3 units", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SimdEngine(0));
        assertEquals("the block size must be at least 1, got 0", e.getMessage());
    }

    static void assertClose(GradientSum expected, GradientSum actual, String what) {
        RandomProblems.assertGradientsClose(expected, actual, GRADIENT_TOLERANCE, LOSS_TOLERANCE, what);
    }
}
