package dev.backprop.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.backprop.core.Activation;
import dev.backprop.core.GradientEngine;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.testing.RandomProblems;
import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.Trainer;
import dev.backprop.simd.SimdEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Many application threads at once, training and predicting on one shared parallel engine and on engines of
 * their own (parallel engines created and closed in the thread, SIMD engines): every result equals the one
 * computed alone beforehand, bit for bit, and the whole run finishes within a bound, so a deadlock fails it.
 */
class ConcurrencyStressTest {
    private static final int APPLICATION_THREADS = 12;
    private static final int ROUNDS = 24;
    private static final Chunking SMALL = new Chunking(16, 64);

    private final Network network = RandomProblems.network(new int[] {20, 16, 4}, Activation.RELU, Activation.SOFTMAX, true);
    private final DataSet data = RandomProblems.data(network, 300, 21, false);
    private final Parameters start = RandomProblems.parameters(network, 0.3, 22);

    private Parameters train(GradientEngine engine, long seed) {
        Parameters p = start.copy();
        Trainer.builder(engine).optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(2).seed(seed).build().train(p, data);
        return p;
    }

    private double[] predict(GradientEngine engine, Parameters p) {
        double[] out = new double[data.size() * network.outputs()];
        engine.predict(p, data, 0, data.size(), out);
        return out;
    }

    @Test
    void trainingAndPredictingFromManyThreadsGiveTheResultsComputedAlone() {
        // What each kind of work gives when nothing else runs.
        Parameters[] parallelTrained = new Parameters[APPLICATION_THREADS];
        Parameters[] simdTrained = new Parameters[APPLICATION_THREADS];
        double[] predicted;
        try (ParallelEngine alone = new ParallelEngine(1, SMALL, 16); SimdEngine simd = new SimdEngine(16)) {
            for (int t = 0; t < APPLICATION_THREADS; t++) {
                parallelTrained[t] = train(alone, t);
                simdTrained[t] = train(simd, t);
            }
            predicted = predict(alone, start);
        }

        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            ExecutorService app = Executors.newFixedThreadPool(APPLICATION_THREADS);
            CountDownLatch go = new CountDownLatch(1);
            try (ParallelEngine shared = new ParallelEngine(2, SMALL, 16)) {
                List<Future<String>> done = new ArrayList<>();
                for (int t = 0; t < APPLICATION_THREADS; t++) {
                    int id = t;
                    done.add(app.submit(() -> {
                        go.await();
                        for (int round = 0; round < ROUNDS; round++) {
                            switch ((id + round) % 4) {
                                case 0 -> assertEquals(parallelTrained[id], train(shared, id), "shared engine, thread " + id);
                                case 1 -> assertEquals(parallelTrained[id], withOwn(() -> new ParallelEngine(3, SMALL, 16), id),
                                        "own parallel engine, thread " + id);
                                case 2 -> assertEquals(simdTrained[id], withOwn(() -> new SimdEngine(16), id),
                                        "own SIMD engine, thread " + id);
                                default -> assertArrayEquals(predicted, predict(shared, start), 0.0, "prediction, thread " + id);
                            }
                        }
                        return "thread " + id;
                    }));
                }
                go.countDown();
                for (Future<String> f : done) {
                    f.get(3, TimeUnit.MINUTES);
                }
            } finally {
                app.shutdownNow();
            }
        });
    }

    private Parameters withOwn(Supplier<GradientEngine> engines, long seed) {
        try (GradientEngine engine = engines.get()) {
            return train(engine, seed);
        }
    }
}
