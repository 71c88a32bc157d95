package dev.backprop.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.Activation;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.testing.Allocations;
import dev.backprop.core.testing.RandomProblems;
import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.Trainer;
import dev.backprop.simd.SimdEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParallelEngineTest {
    /** Small chunks, so that small batches already make trees of many shapes. */
    private static final Chunking SMALL = new Chunking(8, 64);
    private static final int[] THREADS = {1, 2, 3, 4, 7, 8};

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(new int[] {5, 7, 3}, Activation.SIGMOID, Activation.SIGMOID, true, 1),
                Arguments.of(new int[] {17, 9, 4}, Activation.TANH, Activation.SOFTMAX, true, 5),
                Arguments.of(new int[] {33, 17, 3}, Activation.RELU, Activation.IDENTITY, false, 8),
                Arguments.of(new int[] {20, 31, 11, 2}, Activation.SIGMOID, Activation.SOFTMAX, true, 77),
                Arguments.of(new int[] {3, 4, 1}, Activation.TANH, Activation.TANH, false, 1000));
    }

    @ParameterizedTest(name = "{0} {1}/{2} bias={3} m={4}")
    @MethodSource("cases")
    void gradientsAreBitwiseIdenticalOnEveryThreadCountAndMatchTheReference(int[] shape, Activation hidden,
            Activation output, boolean bias, int m) {
        Network network = RandomProblems.network(shape, hidden, output, bias);
        Parameters p = RandomProblems.parameters(network, 0.4, m);
        DataSet data = RandomProblems.data(network, m, m + 1, false);
        GradientSum first = null;
        for (int threads : THREADS) {
            GradientSum sum;
            try (ParallelEngine engine = new ParallelEngine(threads, SMALL, 4)) {
                sum = engine.accumulate(p, data);
                GradientSum again = engine.accumulate(p, data);
                assertArrayEquals(sum.deltaSum(), again.deltaSum(), 0.0, "a second call on " + threads + " threads");
            }
            if (first == null) {
                first = sum;
                assertClose(new ReferenceEngine().accumulate(p, data), sum);
            } else {
                assertEquals(first.count(), sum.count());
                assertEquals(Double.doubleToLongBits(first.lossSum()), Double.doubleToLongBits(sum.lossSum()),
                        threads + " threads changed J");
                assertArrayEquals(first.deltaSum(), sum.deltaSum(), 0.0, threads + " threads changed Δ");
            }
        }
    }

    @Test
    void trainingIsBitwiseIdenticalOnOneTwoAndFourThreads() {
        Network network = RandomProblems.network(new int[] {12, 10, 4}, Activation.TANH, Activation.SOFTMAX, true);
        DataSet data = RandomProblems.data(network, 203, 5, false);
        for (boolean adam : new boolean[] {false, true}) {
            Parameters result = null;
            for (int threads : new int[] {1, 2, 4}) {
                Parameters p = RandomProblems.parameters(network, 0.3, 9);
                try (ParallelEngine engine = new ParallelEngine(threads, SMALL, 8)) {
                    Trainer.builder(engine).optimizer(adam ? Optimizer.adam(0.01) : Optimizer.sgd(0.2))
                            .batchSize(64).epochs(3).seed(11).build().train(p, data);
                    Trainer.builder(engine).optimizer(Optimizer.sgd(0.2)).fullBatch().epochs(2).build().train(p, data);
                }
                if (result == null) {
                    result = p;
                } else {
                    assertEquals(result, p, (adam ? "adam" : "sgd") + " on " + threads + " threads");
                }
            }
        }
    }

    @Test
    void manyApplicationThreadsOnOneEngineGetTheSingleThreadResult() throws Exception {
        Network network = RandomProblems.network(new int[] {16, 12, 3}, Activation.RELU, Activation.SOFTMAX, true);
        Parameters p = RandomProblems.parameters(network, 0.3, 2);
        DataSet data = RandomProblems.data(network, 150, 3, false);
        GradientSum expected;
        try (ParallelEngine one = new ParallelEngine(1, SMALL, 8)) {
            expected = one.accumulate(p, data);
        }
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try (ParallelEngine engine = new ParallelEngine(2, SMALL, 8)) {
            List<Future<GradientSum>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(callers.submit(() -> engine.accumulate(p, data)));
            }
            for (Future<GradientSum> f : futures) {
                assertArrayEquals(expected.deltaSum(), f.get(1, TimeUnit.MINUTES).deltaSum(), 0.0);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aFailingWorkerReachesTheCallerWithItsChunkAndTheEngineStaysUsable() {
        Network network = Network.of(6, 5, 2);
        Parameters p = RandomProblems.parameters(network, 0.3, 4);
        DataSet data = RandomProblems.data(network, 40, 5, false);
        try (ParallelEngine engine = new ParallelEngine(2, SMALL, 8)) {
            GradientSum before = engine.accumulate(p, data);
            engine.setChunkListener(chunk -> {
                if (chunk == 2) {
                    throw new IllegalStateException("NaN detected (injected)");
                }
            });
            ChunkFailedException e = assertThrows(ChunkFailedException.class, () -> engine.accumulate(p, data));
            assertEquals("chunk 2 (examples 16 to 23) failed: java.lang.IllegalStateException: NaN detected (injected)",
                    e.getMessage());
            assertEquals(2, e.chunk());
            assertInstanceOf(IllegalStateException.class, e.getCause());

            engine.setChunkListener(chunk -> {
                if (chunk == 4) {
                    throw new OutOfMemoryError("injected");
                }
            });
            e = assertThrows(ChunkFailedException.class, () -> engine.accumulate(p, data));
            assertInstanceOf(OutOfMemoryError.class, e.getCause());

            engine.setChunkListener(null);
            assertArrayEquals(before.deltaSum(), engine.accumulate(p, data).deltaSum(), 0.0);
        }
    }

    @Test
    void interruptingTheCallerCancelsTheWork() throws Exception {
        Network network = Network.of(6, 5, 2);
        Parameters p = RandomProblems.parameters(network, 0.3, 4);
        DataSet data = RandomProblems.data(network, 400, 5, false);
        try (ParallelEngine engine = new ParallelEngine(2, SMALL, 8)) {
            CountDownLatch started = new CountDownLatch(1);
            engine.setChunkListener(chunk -> {
                started.countDown();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flag = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    engine.accumulate(p, data);
                } catch (Throwable t) {
                    thrown.set(t);
                    flag.set(Thread.currentThread().isInterrupted());
                }
            });
            caller.start();
            assertTrue(started.await(1, TimeUnit.MINUTES));
            caller.interrupt();
            caller.join(TimeUnit.MINUTES.toMillis(1));
            assertFalse(caller.isAlive());
            assertInstanceOf(CancellationException.class, thrown.get());
            assertEquals("interrupted: the parallel engine stopped before the result was complete",
                    thrown.get().getMessage());
            assertTrue(flag.get(), "the interrupt flag is set again");

            engine.setChunkListener(null);
            GradientSum after = engine.accumulate(p, data);
            assertEquals(400, after.count());
        }
    }

    @Test
    void predictionsMatchTheSimdEngine() {
        Network network = RandomProblems.network(new int[] {9, 7, 4}, Activation.TANH, Activation.SOFTMAX, true);
        Parameters p = RandomProblems.parameters(network, 0.5, 1);
        DataSet data = RandomProblems.data(network, 61, 2, false);
        double[] expected = new double[61 * 4];
        double[] actual = new double[61 * 4];
        new SimdEngine(8).predict(p, data, 0, 61, expected);
        try (ParallelEngine engine = new ParallelEngine(3, SMALL, 8)) {
            engine.predict(p, data, 0, 61, actual);
        }
        assertArrayEquals(expected, actual, 0.0);
    }

    @Test
    void aCallInTheSteadyStateAllocatesNothing() {
        Network network = RandomProblems.network(new int[] {40, 33, 7}, Activation.SIGMOID, Activation.SIGMOID, true);
        Parameters p = RandomProblems.parameters(network, 0.3, 5);
        DataSet data = RandomProblems.data(network, 300, 6, false);
        Chunking manyChunks = new Chunking(2, 200); // 150 chunks: a count a map would box on every call
        GradientSum sum = GradientSum.zeros(network);
        double[] outputs = new double[300 * 7];
        Duration warmUp = Duration.ofSeconds(60); // for the JIT to compile the kernels: until then vectors are boxed
        try (ParallelEngine engine = new ParallelEngine(2, manyChunks, 8)) {
            assertEquals(0, Allocations.fewestBytesPerCall(() -> engine.compute(p, data, 0, 300, sum),
                    "nn-parallel-", 0, warmUp), "bytes allocated by a gradient call, on the caller and the pool");
            assertEquals(0, Allocations.fewestBytesPerCall(() -> engine.predict(p, data, 0, 300, outputs),
                    "nn-parallel-", 0, warmUp), "bytes allocated by a prediction, on the caller and the pool");
        }
    }

    @Test
    void theEngineOwnsItsPoolAndNeverUsesTheCommonOne() {
        ParallelEngine engine = new ParallelEngine(3);
        assertEquals(3, engine.threads());
        engine.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class,
                () -> engine.accumulate(Parameters.zeros(Network.of(1, 1)),
                        DataSet.ofFloats(new float[] {1}, 1, new float[] {1}, 1)));
        assertEquals("the parallel engine is closed", closed.getMessage());

        ForkJoinPool mine = new ForkJoinPool(2);
        new ParallelEngine(mine, Chunking.DEFAULT, 16).close();
        assertFalse(mine.isShutdown(), "a caller's pool is left running");
        mine.shutdown();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ParallelEngine(ForkJoinPool.commonPool(), Chunking.DEFAULT, 16));
        assertEquals("the parallel engine does not run on the common pool; give it its own", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ParallelEngine(0));
        assertEquals("the parallel engine needs at least 1 thread, got 0", e.getMessage());
    }

    @Test
    void theCallerComputesItsShareOfTheChunksAndThePoolTheRest() {
        Network network = Network.of(6, 5, 2);
        Parameters p = RandomProblems.parameters(network, 0.3, 4);
        DataSet data = RandomProblems.data(network, 59 * 8, 5, false); // 59 chunks of 8
        try (ParallelEngine engine = new ParallelEngine(2, SMALL, 8)) {
            java.util.Map<Boolean, java.util.concurrent.atomic.AtomicInteger> byCaller = new java.util.concurrent.ConcurrentHashMap<>();
            Thread caller = Thread.currentThread();
            engine.setChunkListener(chunk -> byCaller.computeIfAbsent(Thread.currentThread() == caller,
                    k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet());
            engine.accumulate(p, data);
            // ⌈59 / 2⌉ = 30: the subtree of the first 29 chunks is the largest within the share.
            assertEquals(29, byCaller.get(true).get(), "chunks computed by the calling thread");
            assertEquals(30, byCaller.get(false).get(), "chunks computed by the pool");
        }
    }

    @Test
    void chunkBoundariesDependOnTheBatchSizeOnly() {
        Chunking c = Chunking.DEFAULT;
        assertEquals(128, c.chunkSize(1));
        assertEquals(1, c.chunks(1));
        assertEquals(2, c.chunks(256));
        assertEquals(128, c.chunkSize(8192));
        assertEquals(256, c.chunkSize(8193));
        assertEquals(1024, c.chunkSize(60_000));
        assertEquals(59, c.chunks(60_000));
    }

    private static void assertClose(GradientSum expected, GradientSum actual) {
        RandomProblems.assertGradientsClose(expected, actual, 1e-4, 1e-5, "parallel against the reference");
    }
}
