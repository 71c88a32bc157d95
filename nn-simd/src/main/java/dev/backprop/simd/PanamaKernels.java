package dev.backprop.simd;

import dev.backprop.core.Activation;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} on the Vector API. Loaded only after {@link VectorSupport} has found the module, so
 * that the species below is a constant the JIT can fold, at the width chosen for this JVM.
 *
 * <p>GEMM shape (BLIS's: one register tile sized to the register file, loops around it): the k dimension
 * is cut into blocks of {@value #KC} so that a strip of B stays in L1/L2 while every row tile of A streams
 * past it; inside, a register tile of 8 rows (32 vector registers) or 4 rows (16) × 3 vectors of C
 * accumulates with independent FMAs, A's value
 * broadcast and B's row loaded as vectors from a strip of B copied to consecutive memory first (or kept
 * that way: {@link #gemmPacked}). Tails: one row at a time, then one vector wide, then scalar
 * columns. No masked operations, and no helper methods that take vectors: a call the JIT does not inline
 * would box its vector arguments on the heap (seen as megabytes per GEMM under {@code -prof gc}).
 */
final class PanamaKernels implements Kernels {
    static final VectorSpecies<Float> S =
            VectorSpecies.of(float.class, VectorShape.forBitSize(VectorSupport.selection().bits()));
    static final int L = S.length();
    static final int MR = 4;
    /**
     * Whether the register tile is 8 rows × 3 vectors (24 accumulators, 3 of B and a broadcast: 28 of 32
     * registers) rather than 4 × 3 (16 of 16). The taller tile loads less per FMA (11 loads for 24 FMAs
     * against 7 for 12) and spreads a step's loop and bounds checks over twice the work; on 16 registers
     * it would spill. On this project's Zen 5 with AVX-512 it took GEMM 1024³ from about 90 to 120-170
     * GFLOP/s; with -XX:UseAVX=2 (16 ymm registers) 4 × 3 reached 85-89 and 6 × 2 only 35-65.
     */
    static final boolean TALL = VectorSupport.selection().registers() >= 32;
    static final int NR = 3 * L;
    static final int KC = Panels.KC;
    /** Vectors that hold the logical lanes of a dot product: 1 at 512 bits, 2 at 256, 4 at 128. */
    static final int V = FixedLanes.LANES / L;

    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector TWO = FloatVector.broadcast(S, 2f);
    private static final FloatVector LOG2E = FloatVector.broadcast(S, FloatFunctions.LOG2E);
    private static final FloatVector SHIFTER = FloatVector.broadcast(S, FloatFunctions.SHIFTER);
    private static final FloatVector MINUS_LN2_HIGH = FloatVector.broadcast(S, -FloatFunctions.LN2_HIGH);
    private static final FloatVector MINUS_LN2_LOW = FloatVector.broadcast(S, -FloatFunctions.LN2_LOW);
    private static final FloatVector P0 = FloatVector.broadcast(S, FloatFunctions.P0);
    private static final FloatVector P1 = FloatVector.broadcast(S, FloatFunctions.P1);
    private static final FloatVector P2 = FloatVector.broadcast(S, FloatFunctions.P2);
    private static final FloatVector P3 = FloatVector.broadcast(S, FloatFunctions.P3);
    private static final FloatVector P4 = FloatVector.broadcast(S, FloatFunctions.P4);
    private static final FloatVector P5 = FloatVector.broadcast(S, FloatFunctions.P5);

    /** The packed strip of B; one per instance, which is why an instance serves one thread. */
    private final float[] panel = new float[KC * NR];
    /** The sums of an 8 × 3 register tile on their way to C. */
    private final float[] tile = new float[24 * L];
    /** The lanes of a dot product's sum, added in the fixed order of {@link FixedLanes}. */
    private final float[] lanes = new float[FixedLanes.LANES];

    PanamaKernels() {
    }

    @Override
    public String name() {
        return "panama-" + S.vectorBitSize();
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
            float[] b, int bOff, int bRs, float[] c, int cOff, int cRs, boolean accumulate) {
        if (k == 0) {
            zero(m, n, c, cOff, cRs, accumulate);
            return;
        }
        for (int p0 = 0; p0 < k; p0 += KC) {
            int p1 = Math.min(k, p0 + KC);
            // The first block of k stores into C instead of adding, which saves a pass that zeroes C.
            boolean add = accumulate || p0 > 0;
            int j = 0;
            for (; j + NR <= n; j += NR) {
                // The strip B[p0:p1, j:j+NR] is read once per row tile: copy it to consecutive memory first,
                // so that rows of B a power of two apart do not fight over the same cache sets.
                pack(b, bOff + p0 * bRs + j, bRs, p1 - p0);
                columns(m, j, j + NR, p0, p1, a, aOff, aRs, aCs, panel, -p0 * NR - j, NR, c, cOff, cRs, add);
            }
            columns(m, j, n, p0, p1, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, cRs, add);
        }
    }

    @Override
    public void gemmPacked(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
            float[] b, int bOff, float[] c, int cOff, int cRs, boolean accumulate) {
        if (k == 0) {
            zero(m, n, c, cOff, cRs, accumulate);
            return;
        }
        if (Panels.narrow(n)) {
            if (aCs == 1) {
                dotColumns(m, n, k, a, aOff, aRs, b, bOff, c, cOff, cRs, accumulate);
            } else {
                // an A read with a column stride: the scalar form of the same sums
                FixedLanes.dotColumns(m, n, k, a, aOff, aRs, aCs, b, bOff, c, cOff, cRs, accumulate, lanes);
            }
            return;
        }
        for (int p0 = 0; p0 < k; p0 += KC) {
            int p1 = Math.min(k, p0 + KC);
            boolean add = accumulate || p0 > 0;
            for (int j0 = 0; j0 < n; j0 += Panels.WIDTH) {
                int width = Math.min(Panels.WIDTH, n - j0);
                // B(p, j) of this strip is at strip + (p − p0)·width + (j − j0)
                int strip = bOff + Panels.strip(k, n, p0, j0);
                columns(m, j0, j0 + width, p0, p1, a, aOff, aRs, aCs, b, strip - p0 * width - j0, width,
                        c, cOff, cRs, add);
            }
        }
    }

    private static void zero(int m, int n, float[] c, int cOff, int cRs, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, cOff + i * cRs, cOff + i * cRs + n, 0f);
            }
        }
    }

    /**
     * Columns [j0, j1) of C over rows [p0, p1) of B, B(p, j) = {@code b[bOff + p·bRs + j]}: register tiles
     * {@link #NR} wide while they fit (8 or 4 rows tall, see {@link #TALL}), then one vector wide, then scalar
     * columns. Every path sums each C(i, j) the same way, so the tile changes no bit. Which columns take which
     * path depends only on where the columns end, and {@link Panels#WIDTH} is a multiple of the vector length,
     * so a packed and an unpacked B take the same paths for the same columns and give the same bits.
     */
    private void columns(int m, int j0, int j1, int p0, int p1, float[] a, int aOff, int aRs, int aCs,
            float[] b, int bOff, int bRs, float[] c, int cOff, int cRs, boolean add) {
        int j = j0;
        for (; j + NR <= j1; j += NR) {
            int i = 0;
            if (TALL) {
                for (; i + 8 <= m; i += 8) {
                    tile8x3(i, j, p0, p1, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, cRs, add, tile);
                }
            }
            for (; i + 4 <= m; i += 4) {
                tile4x3(i, j, p0, p1, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, cRs, add);
            }
            for (; i < m; i++) {
                tile1x3(i, j, p0, p1, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, cRs, add);
            }
        }
        for (; j + L <= j1; j += L) {
            int i = 0;
            for (; i + MR <= m; i += MR) {
                tile4x1(i, j, p0, p1, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, cRs, add);
            }
            for (; i < m; i++) {
                tile1x1(i, j, p0, p1, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, cRs, add);
            }
        }
        if (j < j1) {
            scalarColumns(m, j, j1, p0, p1, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, cRs, add);
        }
    }

    /**
     * C = A·B for a B of few columns, kept column by column: each C(i, j) is a dot product along k of a
     * row of A and a column of B, both consecutive, summed in the {@value FixedLanes#LANES} logical lanes of
     * {@link FixedLanes} as {@link #V} vectors, whose lanes are then added in its fixed order rather than by
     * {@code reduceLanes} (whose order for floats is unspecified, and would differ with the width). This is
     * the output layer of a classifier, well under 1% of a gradient's products, so one C(i, j) at a time.
     */
    private void dotColumns(int m, int n, int k, float[] a, int aOff, int aRs, float[] b, int bOff,
            float[] c, int cOff, int cRs, boolean add) {
        int groups = FixedLanes.groups(k);
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * aRs;
            for (int j = 0; j < n; j++) {
                int bj = bOff + j * k;
                FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S);
                FloatVector s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
                for (int p = 0; p < groups; p += FixedLanes.LANES) {
                    s0 = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bj + p), s0);
                    if (V > 1) {
                        s1 = FloatVector.fromArray(S, a, ai + p + L).fma(FloatVector.fromArray(S, b, bj + p + L), s1);
                    }
                    if (V > 2) {
                        s2 = FloatVector.fromArray(S, a, ai + p + 2 * L)
                                .fma(FloatVector.fromArray(S, b, bj + p + 2 * L), s2);
                        s3 = FloatVector.fromArray(S, a, ai + p + 3 * L)
                                .fma(FloatVector.fromArray(S, b, bj + p + 3 * L), s3);
                    }
                }
                s0.intoArray(lanes, 0);
                if (V > 1) {
                    s1.intoArray(lanes, L);
                }
                if (V > 2) {
                    s2.intoArray(lanes, 2 * L);
                    s3.intoArray(lanes, 3 * L);
                }
                float sum = FixedLanes.tail(a, ai, 1, b, bj, groups, k, FixedLanes.reduce(lanes, 0));
                int ci = cOff + i * cRs + j;
                c[ci] = add ? c[ci] + sum : sum;
            }
        }
    }

    /** Copies {@code rows} rows of NR floats, {@code stride} apart from {@code from}, into {@link #panel}. */
    private void pack(float[] b, int from, int stride, int rows) {
        for (int r = 0, src = from, at = 0; r < rows; r++, src += stride, at += NR) {
            System.arraycopy(b, src, panel, at, NR);
        }
    }

    private static void tile4x3(int i, int j, int p0, int p1, float[] a, int aOff, int aRs, int aCs,
            float[] b, int bOff, int bRs, float[] c, int cOff, int cRs, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        int a0 = aOff + i * aRs;
        int a1 = a0 + aRs;
        int a2 = a1 + aRs;
        int a3 = a2 + aRs;
        for (int p = p0, bp = bOff + p0 * bRs + j; p < p1; p++, bp += bRs) {
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
        if (add) {
            FloatVector.fromArray(S, c, r0).add(c00).intoArray(c, r0);
            FloatVector.fromArray(S, c, r0 + 1 * L).add(c01).intoArray(c, r0 + 1 * L);
            FloatVector.fromArray(S, c, r0 + 2 * L).add(c02).intoArray(c, r0 + 2 * L);
            FloatVector.fromArray(S, c, r0 + 1 * cRs).add(c10).intoArray(c, r0 + 1 * cRs);
            FloatVector.fromArray(S, c, r0 + 1 * cRs + 1 * L).add(c11).intoArray(c, r0 + 1 * cRs + 1 * L);
            FloatVector.fromArray(S, c, r0 + 1 * cRs + 2 * L).add(c12).intoArray(c, r0 + 1 * cRs + 2 * L);
            FloatVector.fromArray(S, c, r0 + 2 * cRs).add(c20).intoArray(c, r0 + 2 * cRs);
            FloatVector.fromArray(S, c, r0 + 2 * cRs + 1 * L).add(c21).intoArray(c, r0 + 2 * cRs + 1 * L);
            FloatVector.fromArray(S, c, r0 + 2 * cRs + 2 * L).add(c22).intoArray(c, r0 + 2 * cRs + 2 * L);
            FloatVector.fromArray(S, c, r0 + 3 * cRs).add(c30).intoArray(c, r0 + 3 * cRs);
            FloatVector.fromArray(S, c, r0 + 3 * cRs + 1 * L).add(c31).intoArray(c, r0 + 3 * cRs + 1 * L);
            FloatVector.fromArray(S, c, r0 + 3 * cRs + 2 * L).add(c32).intoArray(c, r0 + 3 * cRs + 2 * L);
        } else {
            c00.intoArray(c, r0);
            c01.intoArray(c, r0 + 1 * L);
            c02.intoArray(c, r0 + 2 * L);
            c10.intoArray(c, r0 + 1 * cRs);
            c11.intoArray(c, r0 + 1 * cRs + 1 * L);
            c12.intoArray(c, r0 + 1 * cRs + 2 * L);
            c20.intoArray(c, r0 + 2 * cRs);
            c21.intoArray(c, r0 + 2 * cRs + 1 * L);
            c22.intoArray(c, r0 + 2 * cRs + 2 * L);
            c30.intoArray(c, r0 + 3 * cRs);
            c31.intoArray(c, r0 + 3 * cRs + 1 * L);
            c32.intoArray(c, r0 + 3 * cRs + 2 * L);
        }
    }

    /**
     * The 8 × 3 tile of {@link #TALL}. Its 24 sums go through {@code tile} on their way to C, so that the
     * method makes few Vector API calls: with 72 more in a written-out epilogue, C2 stopped inlining them
     * inside the tile's compilation and boxed vectors on the heap (1.6 MB per gradient call).
     */
    private static void tile8x3(int i, int j, int p0, int p1, float[] a, int aOff, int aRs, int aCs,
            float[] b, int bOff, int bRs, float[] c, int cOff, int cRs, boolean add, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c42 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S), c52 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c62 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S), c72 = FloatVector.zero(S);
        int a0 = aOff + i * aRs;
        int a1 = a0 + aRs;
        int a2 = a1 + aRs;
        int a3 = a2 + aRs;
        int a4 = a3 + aRs;
        int a5 = a4 + aRs;
        int a6 = a5 + aRs;
        int a7 = a6 + aRs;
        for (int p = p0, bp = bOff + p0 * bRs + j; p < p1; p++, bp += bRs) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 1 * L);
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
            x = FloatVector.broadcast(S, a[a4 + ap]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            x = FloatVector.broadcast(S, a[a5 + ap]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            x = FloatVector.broadcast(S, a[a6 + ap]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            c62 = x.fma(b2, c62);
            x = FloatVector.broadcast(S, a[a7 + ap]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            c72 = x.fma(b2, c72);
        }
        c00.intoArray(tile, 0 * L);
        c01.intoArray(tile, 1 * L);
        c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, 3 * L);
        c11.intoArray(tile, 4 * L);
        c12.intoArray(tile, 5 * L);
        c20.intoArray(tile, 6 * L);
        c21.intoArray(tile, 7 * L);
        c22.intoArray(tile, 8 * L);
        c30.intoArray(tile, 9 * L);
        c31.intoArray(tile, 10 * L);
        c32.intoArray(tile, 11 * L);
        c40.intoArray(tile, 12 * L);
        c41.intoArray(tile, 13 * L);
        c42.intoArray(tile, 14 * L);
        c50.intoArray(tile, 15 * L);
        c51.intoArray(tile, 16 * L);
        c52.intoArray(tile, 17 * L);
        c60.intoArray(tile, 18 * L);
        c61.intoArray(tile, 19 * L);
        c62.intoArray(tile, 20 * L);
        c70.intoArray(tile, 21 * L);
        c71.intoArray(tile, 22 * L);
        c72.intoArray(tile, 23 * L);
        for (int r = 0, at = 0; r < 8; r++) {
            int row = cOff + (i + r) * cRs + j;
            for (int v = 0; v < 3; v++, at += L) {
                FloatVector sum = FloatVector.fromArray(S, tile, at);
                if (add) {
                    sum = FloatVector.fromArray(S, c, row + v * L).add(sum);
                }
                sum.intoArray(c, row + v * L);
            }
        }
    }

    private static void tile1x3(int i, int j, int p0, int p1, float[] a, int aOff, int aRs, int aCs,
            float[] b, int bOff, int bRs, float[] c, int cOff, int cRs, boolean add) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S);
        int a0 = aOff + i * aRs;
        for (int p = p0, bp = bOff + p0 * bRs + j; p < p1; p++, bp += bRs) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + p * aCs]);
            c0 = x.fma(FloatVector.fromArray(S, b, bp), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, bp + L), c1);
            c2 = x.fma(FloatVector.fromArray(S, b, bp + 2 * L), c2);
        }
        int r0 = cOff + i * cRs + j;
        if (add) {
            FloatVector.fromArray(S, c, r0).add(c0).intoArray(c, r0);
            FloatVector.fromArray(S, c, r0 + L).add(c1).intoArray(c, r0 + L);
            FloatVector.fromArray(S, c, r0 + 2 * L).add(c2).intoArray(c, r0 + 2 * L);
        } else {
            c0.intoArray(c, r0);
            c1.intoArray(c, r0 + L);
            c2.intoArray(c, r0 + 2 * L);
        }
    }

    private static void tile4x1(int i, int j, int p0, int p1, float[] a, int aOff, int aRs, int aCs,
            float[] b, int bOff, int bRs, float[] c, int cOff, int cRs, boolean add) {
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
        if (add) {
            FloatVector.fromArray(S, c, r0).add(c0).intoArray(c, r0);
            FloatVector.fromArray(S, c, r0 + cRs).add(c1).intoArray(c, r0 + cRs);
            FloatVector.fromArray(S, c, r0 + 2 * cRs).add(c2).intoArray(c, r0 + 2 * cRs);
            FloatVector.fromArray(S, c, r0 + 3 * cRs).add(c3).intoArray(c, r0 + 3 * cRs);
        } else {
            c0.intoArray(c, r0);
            c1.intoArray(c, r0 + cRs);
            c2.intoArray(c, r0 + 2 * cRs);
            c3.intoArray(c, r0 + 3 * cRs);
        }
    }

    private static void tile1x1(int i, int j, int p0, int p1, float[] a, int aOff, int aRs, int aCs,
            float[] b, int bOff, int bRs, float[] c, int cOff, int cRs, boolean add) {
        FloatVector c0 = FloatVector.zero(S);
        int a0 = aOff + i * aRs;
        for (int p = p0; p < p1; p++) {
            c0 = FloatVector.broadcast(S, a[a0 + p * aCs]).fma(FloatVector.fromArray(S, b, bOff + p * bRs + j), c0);
        }
        if (add) {
            FloatVector.fromArray(S, c, cOff + i * cRs + j).add(c0).intoArray(c, cOff + i * cRs + j);
        } else {
            c0.intoArray(c, cOff + i * cRs + j);
        }
    }

    /**
     * Columns j0..n (fewer than one vector), four rows at a time with the sums in registers: four
     * independent FMA chains instead of one chain through memory per column. Each chain starts from 0 and
     * is added onto C after the block, as a vector lane's would be, so a column has the same bits whether
     * the width puts it in a vector or here.
     */
    private static void scalarColumns(int m, int j0, int n, int p0, int p1, float[] a, int aOff, int aRs, int aCs,
            float[] b, int bOff, int bRs, float[] c, int cOff, int cRs, boolean add) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int a0 = aOff + i * aRs;
            int c0 = cOff + i * cRs;
            for (int j = j0; j < n; j++) {
                float s0 = 0f;
                float s1 = 0f;
                float s2 = 0f;
                float s3 = 0f;
                for (int p = p0; p < p1; p++) {
                    float bpj = b[bOff + p * bRs + j];
                    int ap = a0 + p * aCs;
                    s0 = Math.fma(a[ap], bpj, s0);
                    s1 = Math.fma(a[ap + aRs], bpj, s1);
                    s2 = Math.fma(a[ap + 2 * aRs], bpj, s2);
                    s3 = Math.fma(a[ap + 3 * aRs], bpj, s3);
                }
                store(c, c0 + j, s0, add);
                store(c, c0 + cRs + j, s1, add);
                store(c, c0 + 2 * cRs + j, s2, add);
                store(c, c0 + 3 * cRs + j, s3, add);
            }
        }
        for (; i < m; i++) {
            int ai = aOff + i * aRs;
            int ci = cOff + i * cRs;
            for (int j = j0; j < n; j++) {
                float sum = 0f;
                for (int p = p0; p < p1; p++) {
                    sum = Math.fma(a[ai + p * aCs], b[bOff + p * bRs + j], sum);
                }
                store(c, ci + j, sum, add);
            }
        }
    }

    private static void store(float[] c, int at, float sum, boolean add) {
        c[at] = add ? c[at] + sum : sum;
    }

    @Override
    public void activate(Activation g, float[] x, int off, int len) {
        switch (g) {
            case SIGMOID -> sigmoidOrTanh(x, off, len, false);
            case TANH -> sigmoidOrTanh(x, off, len, true);
            case RELU -> relu(x, off, len);
            case IDENTITY -> {
            }
            case SOFTMAX -> throw new IllegalArgumentException("softmax is applied per example, not elementwise");
        }
    }

    /**
     * The sigmoid 1/(1 + e^−z) or tanh 1 − 2/(e^2z + 1), with e^x written out in the loop, lane by lane
     * the same operations in the same order as {@link FloatFunctions#exp}, so every lane has the bits of
     * the scalar function. Written out rather than called: once a helper taking vectors has been compiled
     * on its own, the JIT may refuse to inline it and boxes every vector passed (seen on JDK 17 as
     * hundreds of kilobytes per gradient call).
     */
    private static void sigmoidOrTanh(float[] x, int off, int len, boolean tanh) {
        int i = off;
        int bound = off + S.loopBound(len);
        for (; i < bound; i += L) {
            FloatVector z = FloatVector.fromArray(S, x, i);
            FloatVector v = (tanh ? z.mul(TWO) : z.neg()).max(FloatFunctions.LOW).min(FloatFunctions.HIGH);
            FloatVector t = v.fma(LOG2E, SHIFTER);
            FloatVector n = t.sub(SHIFTER);
            IntVector exponent = t.reinterpretAsInts().sub(FloatFunctions.SHIFTER_BITS);
            FloatVector r = n.fma(MINUS_LN2_HIGH, v);
            r = n.fma(MINUS_LN2_LOW, r);
            FloatVector p = P0.fma(r, P1);
            p = p.fma(r, P2);
            p = p.fma(r, P3);
            p = p.fma(r, P4);
            p = p.fma(r, P5);
            FloatVector e = p.fma(r.mul(r), r).add(ONE)
                    .mul(exponent.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            if (tanh) {
                ONE.sub(TWO.div(e.add(ONE))).intoArray(x, i);
            } else {
                ONE.div(e.add(ONE)).intoArray(x, i);
            }
        }
        for (; i < off + len; i++) {
            x[i] = tanh ? FloatFunctions.tanh(x[i]) : FloatFunctions.sigmoid(x[i]);
        }
    }

    private static void relu(float[] x, int off, int len) {
        int i = off;
        int bound = off + S.loopBound(len);
        FloatVector zero = FloatVector.zero(S);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, x, i).max(zero).intoArray(x, i);
        }
        for (; i < off + len; i++) {
            x[i] = Math.max(x[i], 0f);
        }
    }

    @Override
    public void multiplyByDerivative(Activation g, float[] a, int aOff, float[] delta, int dOff, int len) {
        int i = 0;
        int bound = S.loopBound(len);
        switch (g) {
            case SIGMOID -> {
                for (; i < bound; i += L) {
                    FloatVector av = FloatVector.fromArray(S, a, aOff + i);
                    FloatVector.fromArray(S, delta, dOff + i).mul(av.mul(ONE.sub(av))).intoArray(delta, dOff + i);
                }
                for (; i < len; i++) {
                    float ai = a[aOff + i];
                    delta[dOff + i] *= ai * (1f - ai);
                }
            }
            case TANH -> {
                for (; i < bound; i += L) {
                    FloatVector av = FloatVector.fromArray(S, a, aOff + i);
                    FloatVector.fromArray(S, delta, dOff + i).mul(ONE.sub(av.mul(av))).intoArray(delta, dOff + i);
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
