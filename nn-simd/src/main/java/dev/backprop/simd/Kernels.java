package dev.backprop.simd;

import dev.backprop.core.Activation;

/**
 * The hot operations of back-propagation on float32 blocks of examples. Two implementations: a plain
 * scalar one and a Vector API one; {@link VectorSupport#kernels()} picks one per JVM.
 *
 * <p>Matrices are addressed by offset and strides so that one GEMM serves the three products of
 * back-propagation without copies: the forward pass Z = A·Wᵀ (with Wᵀ stored transposed), the backward
 * pass δ_below = δ·W (W as stored, bias column skipped by the offset), and Δ += δᵀ·A (δ read transposed
 * through its strides).
 *
 * <p>Every sum is formed in an order that depends on the shapes alone, never on the vector width: each
 * C(i, j) of a GEMM is an FMA chain from 0 in increasing p over each block of {@value Panels#KC} values of
 * k, added onto C (or stored, for the first block of a fresh C) after the block; a dot product along k
 * follows {@link FixedLanes}. So the scalar twin and the vector kernels at every width give the same bits.
 *
 * <p>An instance may keep scratch space (the packed panel of the GEMM), so it serves one thread at a time.
 */
public interface Kernels {

    /** {@code scalar} or {@code panama-512} and so on. */
    String name();

    /**
     * C = A·B, or C += A·B when {@code accumulate}, with A(i,p) = {@code a[aOff + i·aRowStride + p·aColStride]},
     * B(p,j) = {@code b[bOff + p·bRowStride + j]}, C(i,j) = {@code c[cOff + i·cRowStride + j]};
     * i &lt; m, j &lt; n, p &lt; k. Any of m, n, k may be 0.
     */
    void gemm(int m, int n, int k,
            float[] a, int aOff, int aRowStride, int aColStride,
            float[] b, int bOff, int bRowStride,
            float[] c, int cOff, int cRowStride,
            boolean accumulate);

    /**
     * {@link #gemm} with B (k × n) stored from {@code bOff} in the {@link Panels} layout, as the weights
     * are: nothing is packed per call. Each block × strip is an ordinary row-major matrix {@code width}
     * floats wide, so the default runs {@link #gemm} on each; the vector kernels read the strips directly.
     * The sums are formed in the same order as {@link #gemm} forms them, so both give the same bits,
     * except for a narrow B (see {@link Panels}), whose products are dot products along k in the order of
     * {@link FixedLanes}; each implementation takes that case itself.
     */
    default void gemmPacked(int m, int n, int k,
            float[] a, int aOff, int aRowStride, int aColStride,
            float[] b, int bOff,
            float[] c, int cOff, int cRowStride,
            boolean accumulate) {
        if (k == 0) {
            gemm(m, n, 0, a, aOff, aRowStride, aColStride, b, bOff, n, c, cOff, cRowStride, accumulate);
            return;
        }
        if (Panels.narrow(n)) {
            throw new UnsupportedOperationException(name() + " takes a narrow B as dot products of its own");
        }
        for (int p0 = 0; p0 < k; p0 += Panels.KC) {
            int h = Math.min(Panels.KC, k - p0);
            for (int j0 = 0; j0 < n; j0 += Panels.WIDTH) {
                int width = Math.min(Panels.WIDTH, n - j0);
                gemm(m, width, h, a, aOff + p0 * aColStride, aRowStride, aColStride,
                        b, bOff + Panels.strip(k, n, p0, j0), width, c, cOff + j0, cRowStride, accumulate || p0 > 0);
            }
        }
    }

    /** {@code x[off .. off+len)} := g(x) in place, for an activation with a scalar form (not softmax). */
    void activate(Activation g, float[] x, int off, int len);

    /**
     * {@code delta[dOff + i] *= g'} for i &lt; len, with g' written through the activation a =
     * {@code a[aOff + i]}: a(1 − a) for sigmoid, 1 − a² for tanh, [a &gt; 0] for relu, 1 for identity.
     */
    void multiplyByDerivative(Activation g, float[] a, int aOff, float[] delta, int dOff, int len);
}
