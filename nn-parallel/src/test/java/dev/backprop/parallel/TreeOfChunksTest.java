package dev.backprop.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.core.Activation;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.testing.RandomProblems;
import dev.backprop.simd.SimdEngine;
import org.junit.jupiter.api.Test;

/**
 * The parallel engine's Δ against the sum it is specified to be, written out independently: each chunk's
 * double sum from a SIMD engine, added in the tree [lo, mid) + [mid, hi) with left += right, and the root's
 * two children added into the caller's sum as 0.0 + (left + right). Chunks of up to 2,048 examples reach the
 * tree as float32 buffers that the tree adds into doubles itself; longer ones as double sums; a tree mixes
 * both. Bit for bit, on 1 to 3 threads, for replace and accumulate.
 */
class TreeOfChunksTest {
    private static final Network NETWORK = RandomProblems.network(new int[] {37, 29, 11}, Activation.TANH,
            Activation.SOFTMAX, true);

    @Test
    void theDeltaIsTheTreeOfTheChunksDoubleSumsBitForBit() {
        Parameters params = RandomProblems.parameters(NETWORK, 0.4, 21);
        // chunk sizes: 16 (float leaves, 1 to 7 chunks) and 2,100 (double leaves, a float tail)
        int[][] cases = {{16, 16}, {16, 40}, {16, 64}, {16, 100}, {16, 112}, {2100, 4300}, {2100, 2101}, {2100, 6300}};
        DataSet data = RandomProblems.data(NETWORK, 6400, 22, false);
        for (int[] c : cases) {
            Chunking chunking = new Chunking(c[0], 64);
            int m = c[1];
            GradientSum expected = GradientSum.zeros(NETWORK);
            expected.merge(tree(params, data, 0, chunking.chunks(m), chunking.chunkSize(m), m, true));
            for (int threads = 1; threads <= 3; threads++) {
                try (ParallelEngine engine = new ParallelEngine(threads, chunking, 8)) {
                    GradientSum replaced = GradientSum.zeros(NETWORK);
                    engine.compute(params, data, 0, m, replaced);
                    String what = m + " examples in chunks of " + c[0] + " on " + threads + " threads";
                    assertArrayEquals(expected.deltaSum(), replaced.deltaSum(), 0.0, what);
                    assertEquals(expected.lossSum(), replaced.lossSum(), 0.0, what);
                    assertEquals(m, replaced.count());

                    // accumulate: sum += left + right onto what the sum held
                    GradientSum onto = GradientSum.zeros(NETWORK);
                    engine.compute(params, data, 0, m, onto);
                    engine.accumulate(params, data, 0, m, onto);
                    double[] twice = expected.deltaSum().clone();
                    double[] l = treeChild(params, data, chunking, m, true);
                    double[] r = treeChild(params, data, chunking, m, false);
                    if (l != null) {
                        for (int i = 0; i < twice.length; i++) {
                            twice[i] += l[i] + r[i];
                        }
                    } else {
                        for (int i = 0; i < twice.length; i++) {
                            twice[i] += expected.deltaSum()[i];
                        }
                    }
                    assertArrayEquals(twice, onto.deltaSum(), 0.0, "accumulated, " + what);
                }
            }
        }
    }

    /** The double sum of chunks [lo, hi) as the tree adds them; at the root, 0.0 + (left + right). */
    private static GradientSum tree(Parameters params, DataSet data, int lo, int hi, int chunkSize, int m, boolean root) {
        if (hi - lo == 1) {
            GradientSum sum = GradientSum.zeros(NETWORK);
            new SimdEngine(8).compute(params, data, lo * chunkSize, Math.min(m, (lo + 1) * chunkSize), sum);
            return sum;
        }
        int mid = (lo + hi) >>> 1;
        GradientSum left = tree(params, data, lo, mid, chunkSize, m, false);
        GradientSum right = tree(params, data, mid, hi, chunkSize, m, false);
        if (!root) {
            return left.merge(right);
        }
        GradientSum sum = GradientSum.zeros(NETWORK);
        double[] d = sum.deltaSum();
        for (int i = 0; i < d.length; i++) {
            d[i] = 0.0 + (left.deltaSum()[i] + right.deltaSum()[i]);
        }
        sum.setTotals(left.count() + right.count(), 0.0 + (left.lossSum() + right.lossSum()));
        return sum;
    }

    /** The root's left or right child's double sum, or null for a single chunk (no root addition). */
    private static double[] treeChild(Parameters params, DataSet data, Chunking chunking, int m, boolean left) {
        int chunks = chunking.chunks(m);
        if (chunks == 1) {
            return null;
        }
        int mid = chunks >>> 1;
        return (left ? tree(params, data, 0, mid, chunking.chunkSize(m), m, false)
                : tree(params, data, mid, chunks, chunking.chunkSize(m), m, false)).deltaSum();
    }
}
