package dev.backprop.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's ceiling: fused multiply-adds on the preferred float species with every operand in a
 * register, each of several independent accumulators updated as {@code acc = x.fma(y, acc)}. The
 * accumulator is the addend: as a factor ({@code acc.fma(m, b)}) the JIT's register moves held a Zen 2 to
 * three quarters of its peak. The count fits the register file beside the two operands, 12 of AVX2's 16
 * ymm registers and 24 of AVX-512's 32 ({@link Isa#accumulators()}; {@code auto} picks it for the JVM at
 * hand): sixteen on AVX2 spilled. The secondary result {@code flops} is GFLOP/s (FLOP per nanosecond, one
 * FMA counting as two per lane); run with JMH threads = cores for the whole machine's peak, and with
 * {@code -jvmArgsAppend -XX:UseAVX=2} for the 16-register file of an AVX-512 CPU.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1) // C2 took 6-10 s to replace the boxed C1 code on a loaded 2-core machine
@Measurement(iterations = 5, time = 1)
public class FmaPeakBenchmark extends VectorBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int ROUNDS = 1024;

    /** Independent accumulators: 12, 24, or {@code auto} for the count that fits this JVM's register file. */
    @Param({"auto"})
    public String accumulators;

    public float x = 0.999f;
    public float y = 1e-3f;

    private int count;
    private long flopsPerCall;

    @Setup
    public void setUp() {
        count = accumulators.equals("auto") ? Isa.current().accumulators() : Integer.parseInt(accumulators);
        if (count != 12 && count != 24) {
            throw new IllegalArgumentException("accumulators is " + accumulators + "; it must be 12, 24 or auto");
        }
        flopsPerCall = (long) ROUNDS * count * S.length() * 2;
    }

    /** Register-resident FMAs; the secondary result {@code flops} is in FLOP per nanosecond, that is GFLOP/s. */
    @Benchmark
    public float fmaPeak(FlopCounter counter) {
        counter.flops += flopsPerCall;
        return count == 12 ? twelve(x, y) : twentyFour(x, y);
    }

    private static float twelve(float xs, float ys) {
        FloatVector x = FloatVector.broadcast(S, xs);
        FloatVector y = FloatVector.broadcast(S, ys);
        FloatVector a0 = x.add(1), a1 = x.add(2), a2 = x.add(3), a3 = x.add(4), a4 = x.add(5), a5 = x.add(6);
        FloatVector a6 = x.add(7), a7 = x.add(8), a8 = x.add(9), a9 = x.add(10), a10 = x.add(11), a11 = x.add(12);
        for (int i = 0; i < ROUNDS; i++) {
            a0 = x.fma(y, a0);
            a1 = x.fma(y, a1);
            a2 = x.fma(y, a2);
            a3 = x.fma(y, a3);
            a4 = x.fma(y, a4);
            a5 = x.fma(y, a5);
            a6 = x.fma(y, a6);
            a7 = x.fma(y, a7);
            a8 = x.fma(y, a8);
            a9 = x.fma(y, a9);
            a10 = x.fma(y, a10);
            a11 = x.fma(y, a11);
        }
        return (a0.add(a1).add(a2).add(a3))
                .add(a4.add(a5).add(a6).add(a7))
                .add(a8.add(a9).add(a10).add(a11)).reduceLanes(VectorOperators.ADD);
    }

    private static float twentyFour(float xs, float ys) {
        FloatVector x = FloatVector.broadcast(S, xs);
        FloatVector y = FloatVector.broadcast(S, ys);
        FloatVector a0 = x.add(1), a1 = x.add(2), a2 = x.add(3), a3 = x.add(4), a4 = x.add(5), a5 = x.add(6);
        FloatVector a6 = x.add(7), a7 = x.add(8), a8 = x.add(9), a9 = x.add(10), a10 = x.add(11), a11 = x.add(12);
        FloatVector a12 = x.add(13), a13 = x.add(14), a14 = x.add(15), a15 = x.add(16), a16 = x.add(17), a17 = x.add(18);
        FloatVector a18 = x.add(19), a19 = x.add(20), a20 = x.add(21), a21 = x.add(22), a22 = x.add(23), a23 = x.add(24);
        for (int i = 0; i < ROUNDS; i++) {
            a0 = x.fma(y, a0);
            a1 = x.fma(y, a1);
            a2 = x.fma(y, a2);
            a3 = x.fma(y, a3);
            a4 = x.fma(y, a4);
            a5 = x.fma(y, a5);
            a6 = x.fma(y, a6);
            a7 = x.fma(y, a7);
            a8 = x.fma(y, a8);
            a9 = x.fma(y, a9);
            a10 = x.fma(y, a10);
            a11 = x.fma(y, a11);
            a12 = x.fma(y, a12);
            a13 = x.fma(y, a13);
            a14 = x.fma(y, a14);
            a15 = x.fma(y, a15);
            a16 = x.fma(y, a16);
            a17 = x.fma(y, a17);
            a18 = x.fma(y, a18);
            a19 = x.fma(y, a19);
            a20 = x.fma(y, a20);
            a21 = x.fma(y, a21);
            a22 = x.fma(y, a22);
            a23 = x.fma(y, a23);
        }
        return (a0.add(a1).add(a2).add(a3))
                .add(a4.add(a5).add(a6).add(a7))
                .add(a8.add(a9).add(a10).add(a11))
                .add(a12.add(a13).add(a14).add(a15))
                .add(a16.add(a17).add(a18).add(a19))
                .add(a20.add(a21).add(a22).add(a23)).reduceLanes(VectorOperators.ADD);
    }
}
