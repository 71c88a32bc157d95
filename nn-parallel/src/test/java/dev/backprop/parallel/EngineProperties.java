package dev.backprop.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.core.Activation;
import dev.backprop.core.GradientEngine;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.testing.RandomProblems;
import dev.backprop.simd.SimdEngine;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Properties over random networks and batches, every engine at once: the SIMD and parallel engines agree
 * with the reference within float32 rounding, and the parallel engine's bits do not depend on its thread
 * count. jqwik draws the problems and shrinks a failure to a small one; the seed it prints replays it.
 */
class EngineProperties {
    private static final double GRADIENT_TOLERANCE = 1e-4;
    private static final double LOSS_TOLERANCE = 1e-5;
    /** Small chunks, so that a batch of a few hundred examples is many chunks and a deep reduction tree. */
    private static final Chunking CHUNKING = new Chunking(8, 64);
    private static final ParallelEngine[] PARALLEL = new ParallelEngine[9];
    private static final SimdEngine SIMD = new SimdEngine(32);
    private static final ReferenceEngine REFERENCE = new ReferenceEngine();

    /** One network, its weights and a batch, all drawn from {@code seed}. */
    record Problem(int[] units, Activation hidden, Activation output, boolean bias, int m, long seed) {
        Network network() {
            int[] u = units.clone();
            if (output == Activation.SOFTMAX) {
                u[u.length - 1] = Math.max(2, u[u.length - 1]);
            }
            return RandomProblems.network(u, hidden, output, bias);
        }

        Parameters params() {
            return RandomProblems.parameters(network(), 0.5, seed);
        }

        DataSet data() {
            return RandomProblems.data(network(), m, seed + 1, false);
        }

        @Override
        public String toString() {
            return Arrays.toString(units) + " " + hidden + "/" + output + (bias ? " bias" : " no bias") + ", m = " + m
                    + ", seed " + seed;
        }
    }

    @Provide
    Arbitrary<Problem> problems() {
        return Combinators.combine(
                Arbitraries.integers().between(1, 40).array(int[].class).ofMinSize(2).ofMaxSize(4),
                Arbitraries.of(Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.IDENTITY),
                Arbitraries.of(Activation.SIGMOID, Activation.TANH, Activation.IDENTITY, Activation.SOFTMAX),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(1, 300),
                Arbitraries.longs()).as(Problem::new);
    }

    @Property(tries = 200)
    void theSimdAndParallelEnginesMatchTheReference(@ForAll("problems") Problem p,
            @ForAll @IntRange(min = 1, max = 8) int threads) {
        Parameters params = p.params();
        DataSet data = p.data();
        GradientSum expected = REFERENCE.accumulate(params, data);
        RandomProblems.assertGradientsClose(expected, SIMD.accumulate(params, data), GRADIENT_TOLERANCE, LOSS_TOLERANCE,
                "simd on " + p);
        RandomProblems.assertGradientsClose(expected, parallel(threads).accumulate(params, data), GRADIENT_TOLERANCE,
                LOSS_TOLERANCE, "parallel on " + threads + " threads on " + p);
    }

    @Property(tries = 200)
    void theParallelEnginesBitsDoNotDependOnTheThreadCount(@ForAll("problems") Problem p,
            @ForAll @IntRange(min = 2, max = 8) int threads) {
        Parameters params = p.params();
        DataSet data = p.data();
        GradientSum one = parallel(1).accumulate(params, data);
        GradientSum many = parallel(threads).accumulate(params, data);
        assertArrayEquals(one.deltaSum(), many.deltaSum(), 0.0, "Δ on " + threads + " threads");
        assertEquals(Double.doubleToRawLongBits(one.lossSum()), Double.doubleToRawLongBits(many.lossSum()));
        assertEquals(one.count(), many.count());
        double[] out1 = new double[p.m() * params.network().outputs()];
        double[] outMany = new double[out1.length];
        parallel(1).predict(params, data, 0, p.m(), out1);
        parallel(threads).predict(params, data, 0, p.m(), outMany);
        assertArrayEquals(out1, outMany, 0.0, "predictions on " + threads + " threads");
    }

    /**
     * compute() replaces whatever the sum held with the bits that reset() and accumulate() give, −0.0
     * included, on every engine: the trainer relies on it to skip the zeroing pass.
     */
    @Property(tries = 150)
    void computeGivesTheBitsOfAResetAndAnAccumulate(@ForAll("problems") Problem p,
            @ForAll @IntRange(min = 1, max = 8) int threads, @ForAll @IntRange(min = 0, max = 7) int start) {
        Parameters params = p.params();
        DataSet data = p.data();
        int from = Math.min(start, p.m());
        for (GradientEngine engine : new GradientEngine[] {REFERENCE, SIMD, parallel(threads)}) {
            GradientSum expected = GradientSum.zeros(params.network());
            engine.accumulate(params, data, from, p.m(), expected);
            GradientSum replaced = GradientSum.zeros(params.network());
            double[] garbage = replaced.deltaSum();
            for (int i = 0; i < garbage.length; i++) {
                garbage[i] = i % 3 == 0 ? -0.0 : 1e30 * (i % 7 - 3);
            }
            replaced.setTotals(99, -0.0);
            engine.compute(params, data, from, p.m(), replaced);
            String what = engine.name() + " (" + threads + " threads) on " + p + " from " + from;
            assertArrayEquals(rawBits(expected.deltaSum()), rawBits(replaced.deltaSum()), "Δ of " + what);
            assertEquals(Double.doubleToRawLongBits(expected.lossSum()), Double.doubleToRawLongBits(replaced.lossSum()),
                    "cost of " + what);
            assertEquals(expected.count(), replaced.count(), "m of " + what);
        }
    }

    private static long[] rawBits(double[] values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }

    private static synchronized ParallelEngine parallel(int threads) {
        if (PARALLEL[threads] == null) {
            PARALLEL[threads] = new ParallelEngine(threads, CHUNKING, 32);
        }
        return PARALLEL[threads];
    }

    @AfterContainer
    static synchronized void closeEngines() {
        for (int t = 0; t < PARALLEL.length; t++) {
            if (PARALLEL[t] != null) {
                PARALLEL[t].close();
                PARALLEL[t] = null;
            }
        }
    }
}
