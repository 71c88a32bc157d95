package dev.backprop.bench;

import dev.backprop.core.GradientSum;
import dev.backprop.parallel.ParallelEngine;
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
 * The parallel engine's gradient against its thread count, at a mini-batch and at the full 60,000
 * examples of Fashion-MNIST's training set (random data of the same shape). Examples per second are the
 * primary score times the batch; the secondary result {@code flops} gives the model's GFLOP/s as in
 * {@link GradientBenchmark}. Speedups are ratios of scores of the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public class ParallelBenchmark {
    @Param({"1", "2", "3", "4"})
    public int threads;

    @Param({"784-256-128-10"})
    public String layers;

    @Param({"256", "60000"})
    public int batch;

    private ParallelEngine engine;
    private RandomBatch problem;

    @Setup
    public void setUp() {
        problem = new RandomBatch(layers, batch);
        engine = new ParallelEngine(threads);
    }

    @TearDown
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public GradientSum gradient(FlopCounter counter) {
        return problem.step(engine, counter);
    }
}
