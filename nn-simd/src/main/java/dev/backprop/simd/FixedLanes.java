package dev.backprop.simd;

import java.util.Arrays;

/**
 * The one summation order of every dot product along k, whatever the vector width: {@value #LANES}
 * logical lanes, lane l summing the products at p ≡ l (mod {@value #LANES}) for p below the last whole
 * group of {@value #LANES}, each lane an FMA chain from 0 in increasing p; then the lanes added by halving
 * (l + 8, then l + 4, l + 2, l + 1); then the products of the last, partial group, one FMA at a time in
 * increasing p. A 512-bit vector holds the {@value #LANES} lanes at once, a 256-bit one half of them and a
 * 128-bit one a quarter, and the scalar twin keeps them in an array: every path forms the same roundings,
 * so a gradient has the same bits on every CPU.
 *
 * <p>Why a fixed logical width rather than the hardware's: summing in as many lanes as the vector has
 * would give each width its own order of additions, and so its own last bits.
 */
final class FixedLanes {
    /** Logical lanes of a dot product: the widest vector this project runs on (512 bits of float). */
    static final int LANES = 16;

    private FixedLanes() {
    }

    /** The largest multiple of {@value #LANES} not above {@code k}: where the partial group starts. */
    static int groups(int k) {
        return k - k % LANES;
    }

    /**
     * Adds {@code lanes[off .. off + 16)} by halving, in place, and returns the total: the same additions
     * in the same order as the vector paths make them.
     */
    static float reduce(float[] lanes, int off) {
        for (int half = LANES / 2; half >= 1; half /= 2) {
            for (int l = off; l < off + half; l++) {
                lanes[l] += lanes[l + half];
            }
        }
        return lanes[off];
    }

    /**
     * Σ_p a[ai + p·aStride] · b[bi + p] over p &lt; k in the fixed order, with {@code lanes} (at least
     * {@value #LANES} floats) as scratch: the scalar form of every vector dot product.
     */
    static float dot(float[] a, int ai, int aStride, float[] b, int bi, int k, float[] lanes) {
        int groups = groups(k);
        Arrays.fill(lanes, 0, LANES, 0f);
        for (int p0 = 0; p0 < groups; p0 += LANES) {
            for (int l = 0; l < LANES; l++) {
                int p = p0 + l;
                lanes[l] = Math.fma(a[ai + p * aStride], b[bi + p], lanes[l]);
            }
        }
        float sum = reduce(lanes, 0);
        return tail(a, ai, aStride, b, bi, groups, k, sum);
    }

    /**
     * C = A·B for a narrow B kept column by column (B(p, j) at {@code bOff + j·k + p}), every C(i, j) a
     * {@link #dot} of row i of A, read with column stride {@code aCs}, and column j of B: the scalar form
     * the scalar twin uses throughout and the vector kernels use for a strided A. Adds onto C when
     * {@code add}.
     */
    static void dotColumns(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff,
            float[] c, int cOff, int cRs, boolean add, float[] lanes) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = dot(a, aOff + i * aRs, aCs, b, bOff + j * k, k, lanes);
                int ci = cOff + i * cRs + j;
                c[ci] = add ? c[ci] + sum : sum;
            }
        }
    }

    /** The products of the partial group p ∈ [groups, k), added one FMA at a time onto {@code sum}. */
    static float tail(float[] a, int ai, int aStride, float[] b, int bi, int groups, int k, float sum) {
        for (int p = groups; p < k; p++) {
            sum = Math.fma(a[ai + p * aStride], b[bi + p], sum);
        }
        return sum;
    }
}
