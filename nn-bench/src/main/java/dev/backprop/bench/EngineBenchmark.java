package dev.backprop.bench;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.GradientSum;
import dev.backprop.parallel.EngineKind;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

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
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public class EngineBenchmark {
    /** reference, simd or parallel. */
    @Param({"simd"})
    public String engine;

    /** Threads of the parallel engine; the others run on the benchmark thread. */
    @Param({"1"})
    public int threads;

    @Param({"784-256-128-10"})
    public String network;

    @Param({"256"})
    public int batch;

    /** {@code sigmoid-sse} (docs/MATH.md's network) or {@code relu-softmax} (nn train's default recipe). */
    @Param({"sigmoid-sse"})
    public String model;

    private GradientEngine gradientEngine;
    private RandomBatch problem;

    @Setup
    public void setUp() {
        problem = new RandomBatch(network, batch, model);
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
