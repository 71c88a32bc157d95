package dev.backprop.simd;

import dev.backprop.core.Network;
import dev.backprop.core.Parameters;

/**
 * A network's weights in float32, in the two forms the products of back-propagation read, both in the
 * {@link Panels} layout the GEMM consumes without packing: Wᵀ for the forward product (k = the columns
 * of W, bias column included; n = its rows) and W without its bias column for the backward product
 * (k = the rows of W; n = the other columns). Matrix w of each form starts where it starts in the
 * parameters. The backward form of the first matrix is left empty: no δ is formed for the inputs, and
 * that matrix is most of the weights of a network on images. Made once per network and refilled from the
 * double parameters before each gradient; read-only while engines use it, so several workers can share one.
 */
public final class FloatWeights {
    final Network network;
    final float[] forward;
    final float[] backward;
    /** Rows of W transposed together. */
    private static final int TILE = 16;
    private final int lead;

    /** Empty float weights shaped for {@code network}. */
    public FloatWeights(Network network) {
        this.network = network;
        this.forward = new float[network.parameterCount()];
        this.backward = new float[network.parameterCount()];
        this.lead = network.bias() ? 1 : 0;
    }

    /** The network these weights belong to. */
    public Network network() {
        return network;
    }

    /** Rounds {@code params} to float32 into both forms. */
    public void load(Parameters params) {
        load(params, 0, 1);
    }

    /**
     * Part {@code part} of {@code parts} of {@link #load(Parameters)}: the strips of rows [part·S/parts,
     * (part+1)·S/parts) of every matrix of S strips of {@value Panels#WIDTH} rows, in both forms (some parts
     * may be empty). The parts write disjoint elements, so several threads may each load one at the same
     * time; the result does not depend on how it was split.
     */
    public void load(Parameters params, int part, int parts) {
        if (!params.network().equals(network)) {
            throw new IllegalArgumentException("weights of " + params.network() + " do not fit " + network);
        }
        double[] values = params.values();
        for (int w = 0; w < network.weightMatrices(); w++) {
            int rows = network.weightRows(w);
            int cols = network.weightColumns(w);
            int base = network.weightOffset(w);
            // Cut at whole strips of Wᵀ: two threads writing the rows of one strip would share its cache lines
            int strips = (rows + Panels.WIDTH - 1) / Panels.WIDTH;
            int first = Math.min(rows, (int) ((long) strips * part / parts) * Panels.WIDTH);
            int last = Math.min(rows, (int) ((long) strips * (part + 1) / parts) * Panels.WIDTH);
            if (Panels.narrow(rows)) {
                // Wᵀ of a narrow layer is kept column by column, which is W as stored
                for (int i = base + first * cols; i < base + last * cols; i++) {
                    forward[i] = (float) values[i];
                }
                rows(values, w, first, last, rows, cols, base);
                continue;
            }
            // A strip of rows at a time, into Wᵀ and then, while the strip's doubles are still in the cache,
            // into W. A strip of Wᵀ is a few hundred KB, so its rows stay in L2 while the tiles of W's rows
            // fill them: in a 1024-wide layer a float written into each full-width row of Wᵀ in turn missed
            // the L1 cache every time (6.8 ms for 784-1024-1024-10 with a separate transposition, 3.9 ms row
            // by row, 2.9 ms a strip at a time reading 48 rows at once, 2.2 ms in tiles of 16 rows).
            for (int j0 = first; j0 < last; j0 += Panels.WIDTH) {
                int j1 = Math.min(last, j0 + Panels.WIDTH);
                strip(values, j0, j1, rows, cols, base);
                rows(values, w, j0, j1, rows, cols, base);
            }
        }
    }

    /**
     * Rows [j0, j1) of W, the strip of Wᵀ (k = cols, n = rows) that starts at column j0, as its columns:
     * {@value #TILE} rows at a time, each read along a run of k while its floats go into every row of the strip's block in turn.
     * Reading all the strip's 48 rows at once (one float of each per row of Wᵀ) was a third slower on
     * 784-1024-1024-10: 48 streams of doubles far apart are more than the prefetchers follow.
     */
    private void strip(double[] values, int j0, int j1, int rows, int cols, int base) {
        int width = j1 - j0;
        for (int p0 = 0; p0 < cols; p0 += Panels.KC) {
            int p1 = Math.min(cols, p0 + Panels.KC);
            int block = base + Panels.strip(cols, rows, p0, j0) - j0;
            for (int t0 = j0; t0 < j1; t0 += TILE) {
                int t1 = Math.min(j1, t0 + TILE);
                for (int p = p0, at = block; p < p1; p++, at += width) {
                    for (int r = t0, src = base + t0 * cols + p; r < t1; r++, src += cols) {
                        forward[at + r] = (float) values[src];
                    }
                }
            }
        }
    }

    /** Rows [r0, r1) of W into the backward form, which matrix 0 does not have. */
    private void rows(double[] values, int w, int r0, int r1, int rows, int cols, int base) {
        if (w > 0) {
            for (int r = r0; r < r1; r++) {
                row(values, base + r * cols + lead, cols - lead, r, rows, base);
            }
        }
    }

    /** Row r of W without its bias column as row r of B (k = rows, n = n): one run per strip. */
    private void row(double[] values, int src, int n, int r, int rows, int base) {
        if (Panels.narrow(n)) {
            for (int j = 0; j < n; j++) {
                backward[base + Panels.index(rows, n, r, j)] = (float) values[src + j];
            }
            return;
        }
        int p0 = r - r % Panels.KC;
        for (int j0 = 0; j0 < n; j0 += Panels.WIDTH) {
            int width = Math.min(Panels.WIDTH, n - j0);
            int at = base + Panels.strip(rows, n, p0, j0) + (r - p0) * width;
            for (int j = 0; j < width; j++) {
                backward[at + j] = (float) values[src + j0 + j];
            }
        }
    }
}
