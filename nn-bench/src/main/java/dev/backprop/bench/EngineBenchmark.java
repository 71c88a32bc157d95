package dev.backprop.bench;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.GradientSum;
import dev.backprop.parallel.EngineKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One gradient (Δ over a batch) by one engine: the measurement behind every engine and thread-count figure.
 * The primary score is batches per second (examples per second = score × batch); the secondary result
 * {@code flops} counts the model's FLOPs (the three matrix products of back-propagation, 2 per multiply-add:
 * ≈1.007 MFLOP per example for 784-256-128-10) per second, so GFLOP/s and the ratio to the FMA peak come
 * from the same run.
 *
 * <p>JMH crosses every parameter with every other; {@code nn bench} runs the meaningful combinations only
 * (threads for the parallel engine, the full batch for the large networks), one set of parameters at a time.
 */
public class EngineBenchmark extends BatchBenchmark {
    /** reference, simd or parallel. */
    @Param({"simd"})
    public String engine;

    /** Threads of the parallel engine; the others run on the benchmark thread. */
    @Param({"1"})
    public int threads;

    private GradientEngine gradientEngine;

    @Setup
    public void setUp() {
        makeProblem();
        gradientEngine = EngineKind.create(engine, threads);
    }

    @TearDown
    public void tearDown() {
        gradientEngine.close();
    }

    @Benchmark
    public GradientSum gradient(FlopCounter counter) {
        return problem.step(gradientEngine, counter);
    }
}
