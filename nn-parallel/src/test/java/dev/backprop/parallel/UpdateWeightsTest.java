package dev.backprop.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.core.Activation;
import dev.backprop.core.GradientEngine;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.RangeTask;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.testing.Allocations;
import dev.backprop.core.testing.RandomProblems;
import dev.backprop.simd.SimdEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The optimizer's update fused with the engines' float32 load ({@link GradientEngine#updateWeights}): every
 * index updated once, and the gradient after it has the bits of a gradient that loads the updated weights
 * itself, once, for these parameters only.
 */
@org.junit.jupiter.api.Timeout(value = 2, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class UpdateWeightsTest {
    /** Wide enough for several strips of 48 rows per matrix and a part per thread; a narrow output layer. */
    private static final Network NETWORK = RandomProblems.network(new int[] {70, 400, 130, 10}, Activation.RELU,
            Activation.SOFTMAX, true);

    private static List<Supplier<GradientEngine>> engines() {
        return List.of(SimdEngine::new, () -> new ParallelEngine(1), () -> new ParallelEngine(2),
                () -> new ParallelEngine(3));
    }

    /** w ← 0.75 w + 0.001 (i mod 7): each index alone, as an optimizer's step is. */
    private static RangeTask step(double[] w) {
        return (from, to) -> {
            for (int i = from; i < to; i++) {
                w[i] = 0.75 * w[i] + 0.001 * (i % 7);
            }
        };
    }

    @Test
    void everyIndexIsUpdatedOnceAndTheNextGradientHasTheBitsOfAFreshLoad() {
        DataSet data = RandomProblems.data(NETWORK, 300, 5, false);
        for (Supplier<GradientEngine> make : engines()) {
            Parameters p = RandomProblems.parameters(NETWORK, 0.3, 7);
            Parameters q = RandomProblems.parameters(NETWORK, 0.3, 7);
            try (GradientEngine engine = make.get(); GradientEngine fresh = make.get()) {
                GradientSum sum = GradientSum.zeros(NETWORK);
                GradientSum expected = GradientSum.zeros(NETWORK);
                engine.compute(p, data, 0, 300, sum); // the float copy of the weights before the update
                AtomicIntegerArray visits = new AtomicIntegerArray(NETWORK.parameterCount());
                RangeTask update = step(p.values());
                engine.updateWeights(p, 1024, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        visits.incrementAndGet(i);
                    }
                    update.run(from, to);
                });
                for (int i = 0; i < visits.length(); i++) {
                    assertEquals(1, visits.get(i), "index " + i + " on " + engine);
                }
                step(q.values()).run(0, NETWORK.parameterCount());
                assertArrayEquals(q.values(), p.values(), 0.0);

                engine.compute(p, data, 0, 300, sum);
                fresh.compute(q, data, 0, 300, expected);
                assertArrayEquals(expected.deltaSum(), sum.deltaSum(), 0.0, "the gradient after the fused load");

                // The copy serves one call: weights changed after it are read again.
                step(p.values()).run(0, NETWORK.parameterCount());
                step(q.values()).run(0, NETWORK.parameterCount());
                engine.compute(p, data, 0, 300, sum);
                fresh.compute(q, data, 0, 300, expected);
                assertArrayEquals(expected.deltaSum(), sum.deltaSum(), 0.0, "a later call loads again");

                // Other parameters of the same network are loaded, not taken from the copy.
                engine.updateWeights(p, 1024, step(p.values()));
                engine.compute(q, data, 0, 300, sum);
                fresh.compute(q, data, 0, 300, expected);
                assertArrayEquals(expected.deltaSum(), sum.deltaSum(), 0.0, "other parameters");
            }
        }
    }

    @Test
    void aFusedUpdateInTheSteadyStateAllocatesNothing() {
        Parameters p = RandomProblems.parameters(NETWORK, 0.3, 8);
        RangeTask update = step(p.values());
        try (ParallelEngine engine = new ParallelEngine(2)) {
            assertEquals(0, Allocations.fewestBytesPerCall(() -> engine.updateWeights(p, 1024, update), "nn-parallel-", 0,
                    Duration.ofSeconds(20)), "bytes allocated by an update with the load, on the caller and the pool");
        }
    }
}
