package dev.backprop.simd;

import dev.backprop.core.Network;
import dev.backprop.core.Parameters;

/**
 * A network's weights in float32, twice: as stored (W^(l), rows = units above, for the backward product)
 * and transposed (W^(l)ᵀ, for the forward product). Made once per network and refilled from the double
 * parameters before each gradient; read-only while engines use it, so several workers can share one.
 */
public final class FloatWeights {
    static final int TRANSPOSE_TILE = 16;

    final Network network;
    final float[] weights;
    final float[] transposed;

    /** Empty float weights shaped for {@code network}. */
    public FloatWeights(Network network) {
        this.network = network;
        this.weights = new float[network.parameterCount()];
        this.transposed = new float[network.parameterCount()];
    }

    /** The network these weights belong to. */
    public Network network() {
        return network;
    }

    /** Rounds {@code params} to float32 into both layouts. */
    public void load(Parameters params) {
        load(params, 0, 1);
    }

    /**
     * Part {@code part} of {@code parts} of {@link #load(Parameters)}: the rows [part·R/parts,
     * (part+1)·R/parts) of every matrix of R rows, in both layouts. The parts write disjoint elements, so
     * several threads may each load one at the same time; the result does not depend on how it was split.
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
            int first = (int) ((long) rows * part / parts);
            int last = (int) ((long) rows * (part + 1) / parts);
            for (int i = base + first * cols; i < base + last * cols; i++) {
                weights[i] = (float) values[i];
            }
            // In tiles of 16: a row of a power-of-two-wide matrix and the next one map to the same cache
            // set, so wider tiles evict themselves (32 was 20% slower than 16 on 784-1024-1024-10).
            for (int j0 = first; j0 < last; j0 += TRANSPOSE_TILE) {
                int j1 = Math.min(last, j0 + TRANSPOSE_TILE);
                for (int c0 = 0; c0 < cols; c0 += TRANSPOSE_TILE) {
                    int c1 = Math.min(cols, c0 + TRANSPOSE_TILE);
                    for (int j = j0; j < j1; j++) {
                        int src = base + j * cols;
                        int dst = base + j;
                        for (int c = c0; c < c1; c++) {
                            transposed[dst + c * rows] = weights[src + c];
                        }
                    }
                }
            }
        }
    }
}
