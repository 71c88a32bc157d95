package dev.backprop.simd;

import dev.backprop.core.Activation;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} on the Vector API. Loaded only after {@link VectorSupport} has found the module, so
 * that the species below is a constant the JIT can fold, at the width chosen for this JVM.
 *
 * <p>GEMM shape (as in Lucene's and llama3.java's kernels): the k dimension is cut into blocks of
 * {@value #KC} so that a strip of B stays in L1/L2 while every row tile of A streams past it; inside, a
 * register tile of {@value #MR} rows × 3 vectors of C accumulates with independent FMAs, A's value
 * broadcast and B's row loaded as vectors. Tails: one row at a time, then one vector wide, then scalar
 * columns. No masked operations.
 */
final class PanamaKernels implements Kernels {
    static final VectorSpecies<Float> S =
            VectorSpecies.of(float.class, VectorShape.forBitSize(VectorSupport.selection().bits()));
    static final int L = S.length();
    static final int MR = 4;
    static final int KC = 256;

    static final PanamaKernels INSTANCE = new PanamaKernels();

    private PanamaKernels() {
    }

    @Override
    public String name() {
        return "panama-" + S.vectorBitSize();
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
            float[] b, int bOff, int bRs, float[] c, int cOff, int cRs, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, cOff + i * cRs, cOff + i * cRs + n, 0f);
            }
        }
        for (int p0 = 0; p0 < k; p0 += KC) {
            int p1 = Math.min(k, p0 + KC);
            int j = 0;
            for (; j + 3 * L <= n; j += 3 * L) {
                int i = 0;
                for (; i + MR <= m; i += MR) {
                    tile4x3(i, j, p0, p1, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, cRs);
                }
                for (; i < m; i++) {
                    tile1x3(i, j, p0, p1, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, cRs);
                }
            }
            for (; j + L <= n; j += L) {
                int i = 0;
                for (; i + MR <= m; i += MR) {
                    tile4x1(i, j, p0, p1, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, cRs);
                }
                for (; i < m; i++) {
                    tile1x1(i, j, p0, p1, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, cRs);
                }
            }
            if (j < n) {
                scalarColumns(m, j, n, p0, p1, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, cRs);
            }
        }
    }

    private static void tile4x3(int i, int j, int p0, int p1, float[] a, int aOff, int aRs, int aCs,
            float[] b, int bOff, int bRs, float[] c, int cOff, int cRs) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        int a0 = aOff + i * aRs;
        int a1 = a0 + aRs;
        int a2 = a1 + aRs;
        int a3 = a2 + aRs;
        for (int p = p0; p < p1; p++) {
            int bp = bOff + p * bRs + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            int ap = p * aCs;
            FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, a[a1 + ap]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, a[a2 + ap]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, a[a3 + ap]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
        }
        int r0 = cOff + i * cRs + j;
        addInto(c, r0, c00, c01, c02);
        addInto(c, r0 + cRs, c10, c11, c12);
        addInto(c, r0 + 2 * cRs, c20, c21, c22);
        addInto(c, r0 + 3 * cRs, c30, c31, c32);
    }

    private static void tile1x3(int i, int j, int p0, int p1, float[] a, int aOff, int aRs, int aCs,
            float[] b, int bOff, int bRs, float[] c, int cOff, int cRs) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S);
        int a0 = aOff + i * aRs;
        for (int p = p0; p < p1; p++) {
            int bp = bOff + p * bRs + j;
            FloatVector x = FloatVector.broadcast(S, a[a0 + p * aCs]);
            c0 = x.fma(FloatVector.fromArray(S, b, bp), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, bp + L), c1);
            c2 = x.fma(FloatVector.fromArray(S, b, bp + 2 * L), c2);
        }
        addInto(c, cOff + i * cRs + j, c0, c1, c2);
    }

    private static void tile4x1(int i, int j, int p0, int p1, float[] a, int aOff, int aRs, int aCs,
            float[] b, int bOff, int bRs, float[] c, int cOff, int cRs) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        int a0 = aOff + i * aRs;
        for (int p = p0; p < p1; p++) {
            FloatVector bv = FloatVector.fromArray(S, b, bOff + p * bRs + j);
            int ap = a0 + p * aCs;
            c0 = FloatVector.broadcast(S, a[ap]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[ap + aRs]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[ap + 2 * aRs]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[ap + 3 * aRs]).fma(bv, c3);
        }
        int r0 = cOff + i * cRs + j;
        FloatVector.fromArray(S, c, r0).add(c0).intoArray(c, r0);
        FloatVector.fromArray(S, c, r0 + cRs).add(c1).intoArray(c, r0 + cRs);
        FloatVector.fromArray(S, c, r0 + 2 * cRs).add(c2).intoArray(c, r0 + 2 * cRs);
        FloatVector.fromArray(S, c, r0 + 3 * cRs).add(c3).intoArray(c, r0 + 3 * cRs);
    }

    private static void tile1x1(int i, int j, int p0, int p1, float[] a, int aOff, int aRs, int aCs,
            float[] b, int bOff, int bRs, float[] c, int cOff, int cRs) {
        FloatVector c0 = FloatVector.zero(S);
        int a0 = aOff + i * aRs;
        for (int p = p0; p < p1; p++) {
            c0 = FloatVector.broadcast(S, a[a0 + p * aCs]).fma(FloatVector.fromArray(S, b, bOff + p * bRs + j), c0);
        }
        int r0 = cOff + i * cRs + j;
        FloatVector.fromArray(S, c, r0).add(c0).intoArray(c, r0);
    }

    private static void scalarColumns(int m, int j0, int n, int p0, int p1, float[] a, int aOff, int aRs, int aCs,
            float[] b, int bOff, int bRs, float[] c, int cOff, int cRs) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * cRs;
            for (int p = p0; p < p1; p++) {
                float aip = a[aOff + i * aRs + p * aCs];
                int bp = bOff + p * bRs;
                for (int j = j0; j < n; j++) {
                    c[ci + j] = Math.fma(aip, b[bp + j], c[ci + j]);
                }
            }
        }
    }

    private static void addInto(float[] c, int at, FloatVector v0, FloatVector v1, FloatVector v2) {
        FloatVector.fromArray(S, c, at).add(v0).intoArray(c, at);
        FloatVector.fromArray(S, c, at + L).add(v1).intoArray(c, at + L);
        FloatVector.fromArray(S, c, at + 2 * L).add(v2).intoArray(c, at + 2 * L);
    }

    @Override
    public void activate(Activation g, float[] x, int off, int len) {
        int i = off;
        int end = off + len;
        int bound = off + S.loopBound(len);
        switch (g) {
            case SIGMOID -> {
                FloatVector one = FloatVector.broadcast(S, 1f);
                for (; i < bound; i += L) {
                    FloatVector z = FloatVector.fromArray(S, x, i);
                    one.div(z.neg().lanewise(VectorOperators.EXP).add(one)).intoArray(x, i);
                }
                for (; i < end; i++) {
                    x[i] = 1f / (1f + (float) Math.exp(-x[i]));
                }
            }
            case TANH -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, x, i).lanewise(VectorOperators.TANH).intoArray(x, i);
                }
                for (; i < end; i++) {
                    x[i] = (float) Math.tanh(x[i]);
                }
            }
            case RELU -> {
                FloatVector zero = FloatVector.zero(S);
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, x, i).max(zero).intoArray(x, i);
                }
                for (; i < end; i++) {
                    x[i] = Math.max(x[i], 0f);
                }
            }
            case IDENTITY -> {
            }
            case SOFTMAX -> throw new IllegalArgumentException("softmax is applied per example, not elementwise");
        }
    }

    @Override
    public void multiplyByDerivative(Activation g, float[] a, int aOff, float[] delta, int dOff, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        switch (g) {
            case SIGMOID -> {
                FloatVector one = FloatVector.broadcast(S, 1f);
                for (; i < bound; i += L) {
                    FloatVector av = FloatVector.fromArray(S, a, aOff + i);
                    FloatVector.fromArray(S, delta, dOff + i).mul(av.mul(one.sub(av))).intoArray(delta, dOff + i);
                }
                for (; i < len; i++) {
                    float ai = a[aOff + i];
                    delta[dOff + i] *= ai * (1f - ai);
                }
            }
            case TANH -> {
                FloatVector one = FloatVector.broadcast(S, 1f);
                for (; i < bound; i += L) {
                    FloatVector av = FloatVector.fromArray(S, a, aOff + i);
                    FloatVector.fromArray(S, delta, dOff + i).mul(one.sub(av.mul(av))).intoArray(delta, dOff + i);
                }
                for (; i < len; i++) {
                    float ai = a[aOff + i];
                    delta[dOff + i] *= 1f - ai * ai;
                }
            }
            case RELU -> {
                FloatVector zero = FloatVector.zero(S);
                for (; i < bound; i += L) {
                    FloatVector av = FloatVector.fromArray(S, a, aOff + i);
                    FloatVector d = FloatVector.fromArray(S, delta, dOff + i);
                    d.blend(zero, av.compare(VectorOperators.GT, 0f).not()).intoArray(delta, dOff + i);
                }
                for (; i < len; i++) {
                    if (!(a[aOff + i] > 0f)) {
                        delta[dOff + i] = 0f;
                    }
                }
            }
            case IDENTITY -> {
            }
            case SOFTMAX -> throw new IllegalArgumentException("softmax has no elementwise derivative here");
        }
    }
}
