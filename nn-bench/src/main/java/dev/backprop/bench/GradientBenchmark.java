package dev.backprop.bench;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.GradientSum;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.simd.SimdEngine;
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
 * One gradient (Δ over a batch) per engine, sigmoid network with the half squared error. The primary
 * score is batches per second; the secondary result {@code flops} counts the model's FLOPs (the three
 * matrix products of back-propagation, 2 per multiply-add: ≈1.007 MFLOP per example for 784-256-128-10),
 * in operations per second, so GFLOP/s and the ratio to the FMA peak come from the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public class GradientBenchmark {
    @Param({"simd", "reference"})
    public String engine;

    @Param({"3-3-1", "64-32-1", "784-256-128-10", "784-1024-1024-10"})
    public String layers;

    @Param({"256"})
    public int batch;

    /** Examples per block of the SIMD engine. */
    @Param({"128"})
    public int block;

    private GradientEngine gradientEngine;
    private RandomBatch problem;

    @Setup
    public void setUp() {
        problem = new RandomBatch(layers, batch);
        gradientEngine = engine.equals("simd") ? new SimdEngine(block) : new ReferenceEngine();
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
