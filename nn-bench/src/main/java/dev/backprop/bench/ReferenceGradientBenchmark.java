package dev.backprop.bench;

import dev.backprop.core.GradientSum;
import dev.backprop.core.Parameters;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.core.data.DataSet;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reference engine's gradient over a batch: the baseline every fast engine's speed is a ratio of.
 * Reports batches per second; multiply by the batch size for examples per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReferenceGradientBenchmark {

    /** Layer sizes, input first, separated by '-'. */
    @Param({"3-3-1", "64-32-1", "784-256-128-10"})
    public String layers;

    @Param({"256"})
    public int batch;

    private final ReferenceEngine engine = new ReferenceEngine();
    private Parameters params;
    private DataSet data;
    private GradientSum sum;

    @Setup
    public void setUp() {
        RandomBatch problem = new RandomBatch(layers, batch);
        params = problem.params;
        data = problem.data;
        sum = GradientSum.zeros(problem.network);
    }

    /** Δ over one batch. */
    @Benchmark
    public GradientSum gradient() {
        sum.reset();
        engine.accumulate(params, data, 0, batch, sum);
        return sum;
    }
}
