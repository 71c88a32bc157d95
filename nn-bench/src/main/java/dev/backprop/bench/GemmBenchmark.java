package dev.backprop.bench;

import dev.backprop.core.SeededRandom;
import dev.backprop.simd.Kernels;
import dev.backprop.simd.VectorSupport;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The GEMM kernel alone, C = A·B (m × k times k × n), at 1024³ and at the shapes of the products of
 * 784-256-128-10 on blocks of 256 examples: the forward product of the first layer (256 × 784 · 784 × 256)
 * and its Δ (256 × 256 · 256 × 785). GFLOP/s are in the secondary result {@code flops} (operations per
 * nanosecond).
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
public class GemmBenchmark extends VectorBenchmark {
    /** m-n-k. */
    @Param({"1024-1024-1024", "256-256-785", "256-785-256"})
    public String shape;

    /** {@code rows}: A row-major (the forward and backward products); {@code transposed}: A read through
     * its column stride, as δᵀ is in the Δ product. */
    @Param({"rows"})
    public String a;

    /** {@code vector} (the kernels chosen for this JVM) or {@code scalar} (the twin). */
    @Param({"vector"})
    public String kernels;

    private Kernels k;
    private int m;
    private int n;
    private int p;
    private float[] left;
    private float[] b;
    private float[] c;

    @Setup
    public void setUp() {
        String[] s = shape.split("-");
        m = Integer.parseInt(s[0]);
        n = Integer.parseInt(s[1]);
        p = Integer.parseInt(s[2]);
        k = kernels.equals("scalar") ? VectorSupport.scalarKernels() : VectorSupport.kernels();
        SeededRandom r = new SeededRandom(1);
        left = new float[m * p];
        b = new float[p * n];
        c = new float[m * n];
        for (int i = 0; i < left.length; i++) {
            left[i] = (float) r.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextDouble(-1, 1);
        }
    }

    @Benchmark
    public float[] gemm(FlopCounter counter) {
        if (a.equals("transposed")) {
            k.gemm(m, n, p, left, 0, 1, m, b, 0, n, c, 0, n, false);
        } else {
            k.gemm(m, n, p, left, 0, p, 1, b, 0, n, c, 0, n, false);
        }
        counter.flops += 2L * m * n * p;
        return c;
    }
}
