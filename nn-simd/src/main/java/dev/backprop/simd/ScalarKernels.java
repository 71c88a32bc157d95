package dev.backprop.simd;

import dev.backprop.core.Activation;
import java.util.Arrays;

/**
 * The scalar twin of {@link PanamaKernels}: the same operations in plain loops, used when the Vector API
 * is absent or forced off, and with the same bits. Each C(i, j) of the GEMM is, as in the vector kernels,
 * an FMA chain from 0 along each block of {@value Panels#KC} values of k, added onto C after the block;
 * dot products along k follow {@link FixedLanes}. The GEMM runs i-p-j so that the innermost loop is a
 * contiguous axpy, which the JIT's own auto-vectorizer can still use (it forms the same FMAs lane by lane).
 *
 * <p>An instance keeps scratch space (a row of block sums, the lanes of a dot product), so it serves one
 * thread at a time.
 */
final class ScalarKernels implements Kernels {
    /** The sums of one row of C over one block of k, when they cannot be formed in C itself. */
    private float[] row = new float[0];
    private final float[] lanes = new float[FixedLanes.LANES];

    ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
            float[] b, int bOff, int bRowStride, float[] c, int cOff, int cRowStride, boolean accumulate) {
        if (row.length < n) {
            row = new float[n];
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * cRowStride;
            if (!accumulate) {
                Arrays.fill(c, ci, ci + n, 0f);
            }
            for (int p0 = 0; p0 < k; p0 += Panels.KC) {
                int p1 = Math.min(k, p0 + Panels.KC);
                // The first block of a fresh C is its own sum from 0; any later one is summed apart, then added.
                boolean inPlace = !accumulate && p0 == 0;
                float[] s = inPlace ? c : row;
                int si = inPlace ? ci : 0;
                if (!inPlace) {
                    Arrays.fill(row, 0, n, 0f);
                }
                for (int p = p0; p < p1; p++) {
                    float aip = a[aOff + i * aRowStride + p * aColStride];
                    int bp = bOff + p * bRowStride;
                    for (int j = 0; j < n; j++) {
                        s[si + j] = Math.fma(aip, b[bp + j], s[si + j]);
                    }
                }
                if (!inPlace) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += row[j];
                    }
                }
            }
        }
    }

    @Override
    public void gemmPacked(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
            float[] b, int bOff, float[] c, int cOff, int cRowStride, boolean accumulate) {
        if (k == 0 || !Panels.narrow(n)) {
            Kernels.super.gemmPacked(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, c, cOff, cRowStride,
                    accumulate);
            return;
        }
        FixedLanes.dotColumns(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, c, cOff, cRowStride, accumulate,
                lanes);
    }

    @Override
    public void activate(Activation g, float[] x, int off, int len) {
        switch (g) {
            case SIGMOID -> {
                for (int i = off; i < off + len; i++) {
                    x[i] = FloatFunctions.sigmoid(x[i]);
                }
            }
            case TANH -> {
                for (int i = off; i < off + len; i++) {
                    x[i] = FloatFunctions.tanh(x[i]);
                }
            }
            case RELU -> {
                for (int i = off; i < off + len; i++) {
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
        switch (g) {
            case SIGMOID -> {
                for (int i = 0; i < len; i++) {
                    float ai = a[aOff + i];
                    delta[dOff + i] *= ai * (1f - ai);
                }
            }
            case TANH -> {
                for (int i = 0; i < len; i++) {
                    float ai = a[aOff + i];
                    delta[dOff + i] *= 1f - ai * ai;
                }
            }
            case RELU -> {
                for (int i = 0; i < len; i++) {
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
