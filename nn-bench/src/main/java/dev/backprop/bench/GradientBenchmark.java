package dev.backprop.bench;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Initializer;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.core.SeededRandom;
import dev.backprop.core.data.DataSet;
import dev.backprop.simd.SimdEngine;
import java.util.Arrays;
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

    @Param({"784-256-128-10", "784-1024-1024-10"})
    public String layers;

    @Param({"256"})
    public int batch;

    /** Examples per block of the SIMD engine. */
    @Param({"128"})
    public int block;

    private GradientEngine gradientEngine;
    private Parameters params;
    private DataSet data;
    private GradientSum sum;
    private long flopsPerBatch;

    @Setup
    public void setUp() {
        int[] units = Arrays.stream(layers.split("-")).mapToInt(Integer::parseInt).toArray();
        Network network = Network.of(units);
        params = Parameters.initialize(network, Initializer.xavier(), 1);
        SeededRandom random = new SeededRandom(2);
        float[] x = new float[batch * network.inputs()];
        float[] y = new float[batch * network.outputs()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) random.nextDouble();
        }
        data = DataSet.ofFloats(x, network.inputs(), y, network.outputs());
        sum = GradientSum.zeros(network);
        gradientEngine = engine.equals("simd") ? new SimdEngine(block) : new ReferenceEngine();
        flopsPerBatch = batch * modelFlopsPerExample(units);
    }

    /** 2 × (forward Σ S_{l+1}·S_l + Δ Σ S_{l+1}·S_l + backward Σ_{l≥2} S_{l+1}·S_l): bias terms not counted. */
    static long modelFlopsPerExample(int[] units) {
        long macs = 0;
        for (int l = 0; l + 1 < units.length; l++) {
            long product = (long) units[l] * units[l + 1];
            macs += 2 * product + (l > 0 ? product : 0);
        }
        return 2 * macs;
    }

    @TearDown
    public void tearDown() {
        gradientEngine.close();
    }

    @Benchmark
    public GradientSum gradient(FlopCounter counter) {
        sum.reset();
        gradientEngine.accumulate(params, data, 0, batch, sum);
        counter.flops += flopsPerBatch;
        return sum;
    }
}
