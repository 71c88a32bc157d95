package dev.backprop.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.Activation;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.RangeTask;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.testing.Allocations;
import dev.backprop.core.testing.RandomProblems;
import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.Trainer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The optimizer's update between two gradients runs in slices on the parallel engine's threads: every
 * index once, failures reported, no allocation, and training with the same bits as the sequential update.
 */
@org.junit.jupiter.api.Timeout(value = 2, unit = java.util.concurrent.TimeUnit.MINUTES,
        threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class SlicedUpdateTest {

    @Test
    void everyIndexIsRunOnceInOneSlicePerThread() {
        for (int threads = 1; threads <= 4; threads++) {
            try (ParallelEngine engine = new ParallelEngine(threads)) {
                for (int size : new int[] {0, 1, 8191, 16_384, 100_003}) {
                    for (int repeat = 0; repeat < 50; repeat++) {
                        AtomicIntegerArray visits = new AtomicIntegerArray(size);
                        java.util.concurrent.atomic.AtomicInteger slices = new java.util.concurrent.atomic.AtomicInteger();
                        engine.runInSlices(size, 8192, (from, to) -> {
                            slices.incrementAndGet();
                            for (int i = from; i < to; i++) {
                                visits.incrementAndGet(i);
                            }
                        });
                        for (int i = 0; i < size; i++) {
                            assertEquals(1, visits.get(i), "index " + i + " of " + size + " on " + threads + " threads");
                        }
                        boolean sliced = threads > 1 && size / threads >= 8192;
                        assertEquals(sliced ? threads : 1, slices.get(), size + " indices on " + threads + " threads");
                    }
                }
            }
        }
    }

    /**
     * A pool whose worker is busy elsewhere (or not started) never holds a run up: the caller takes every
     * slice no worker has claimed. The pool's only worker is kept busy here until the run has returned.
     */
    @Test
    void aRunNeverWaitsForAWorkerThatDoesNotCome() throws Exception {
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        pool.execute(() -> {
            busy.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        busy.await();
        try (ParallelEngine engine = new ParallelEngine(pool, Chunking.DEFAULT, 16)) {
            double[] x = new double[50_000];
            for (int repeat = 0; repeat < 3; repeat++) {
                engine.runInSlices(x.length, 1024, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        x[i] += 1;
                    }
                });
            }
            for (double v : x) {
                assertEquals(3.0, v);
            }
        } finally {
            release.countDown();
            pool.shutdown();
        }
    }

    @Test
    void aSliceThatFailsFailsTheRunAndTheEngineCarriesOn() {
        try (ParallelEngine engine = new ParallelEngine(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> engine.runInSlices(50_000, 1,
                    (from, to) -> {
                        if (from > 0) {
                            throw new IllegalStateException("slice from " + from + " failed");
                        }
                    }));
            assertEquals("slice from 25000 failed", e.getMessage());
            int[] count = new int[1];
            engine.runInSlices(10, 1, (from, to) -> count[0] += to - from);
            assertEquals(10, count[0]);
        }
    }

    @Test
    void aRunInTheSteadyStateAllocatesNothing() {
        double[] x = new double[200_000];
        RangeTask task = (from, to) -> {
            for (int i = from; i < to; i++) {
                x[i] = x[i] * 0.5 + 1.0;
            }
        };
        try (ParallelEngine engine = new ParallelEngine(2)) {
            assertEquals(0, Allocations.fewestBytesPerCall(() -> engine.runInSlices(x.length, 8192, task), "nn-parallel-", 0,
                    Duration.ofSeconds(20)), "bytes allocated by a sliced run, on the caller and the pool");
        }
    }

    /**
     * Full-batch training through the trainer (update in slices, D = Δ/m formed inside it) against the same
     * steps written out with the sequential public {@link Optimizer#update}: the same weights, bit for bit,
     * for every optimizer and on 1 to 4 threads. The network has more weights than one thread's slice, so
     * the update really is cut.
     */
    @Test
    void trainingWithTheUpdateInSlicesHasTheBitsOfTheSequentialUpdate() {
        Network network = RandomProblems.network(new int[] {300, 60, 10}, Activation.TANH, Activation.SOFTMAX, true);
        assertTrue(network.parameterCount() >= 2 * 8192, network.parameterCount() + " weights");
        DataSet data = RandomProblems.data(network, 200, 3, false);
        @SuppressWarnings("unchecked")
        Supplier<Optimizer>[] optimizers = new Supplier[] {
            () -> Optimizer.sgd(0.1), () -> Optimizer.momentum(0.05, 0.9), () -> Optimizer.nesterov(0.05, 0.9),
            () -> Optimizer.adam(0.01),
        };
        for (Supplier<Optimizer> optimizer : optimizers) {
            Parameters expected = RandomProblems.parameters(network, 0.2, 9);
            try (ParallelEngine one = new ParallelEngine(1)) {
                Optimizer sequential = optimizer.get();
                GradientSum sum = GradientSum.zeros(network);
                double[] d = new double[network.parameterCount()];
                for (int epoch = 0; epoch < 4; epoch++) {
                    one.compute(expected, data, 0, data.size(), sum);
                    sum.gradientInto(d);
                    sequential.update(expected.values(), d);
                }
            }
            for (int threads = 1; threads <= 4; threads++) {
                Parameters p = RandomProblems.parameters(network, 0.2, 9);
                try (ParallelEngine engine = new ParallelEngine(threads)) {
                    Trainer.builder(engine).optimizer(optimizer.get()).fullBatch().epochs(4).build().train(p, data);
                }
                assertArrayEquals(expected.values(), p.values(), 0.0,
                        optimizer.get().describe() + " on " + threads + " threads");
            }
        }
    }

    @Test
    void withL2AndShuffledBatchesTheWeightsAreTheSameOnEveryThreadCount() {
        Network network = RandomProblems.network(new int[] {300, 60, 10}, Activation.RELU, Activation.SOFTMAX, true);
        DataSet data = RandomProblems.data(network, 300, 4, false);
        double[] first = null;
        for (int threads = 1; threads <= 3; threads++) {
            Parameters p = RandomProblems.parameters(network, 0.2, 10);
            try (ParallelEngine engine = new ParallelEngine(threads)) {
                Trainer.builder(engine).optimizer(Optimizer.adam(0.01)).l2(1e-3).batchSize(100).epochs(2).build()
                        .train(p, data);
            }
            if (first == null) {
                first = p.values();
            } else {
                assertArrayEquals(first, p.values(), 0.0, "adam with L2 on " + threads + " threads");
            }
        }
    }
}
