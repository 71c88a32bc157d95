package dev.backprop.simd;

import dev.backprop.core.Activation;
import dev.backprop.core.Cost;
import dev.backprop.core.GradientEngine;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.Shapes;
import dev.backprop.core.data.DataSet;

/**
 * A {@link GradientEngine} in float32 that works on blocks of examples at a time, so that each step of
 * back-propagation is a matrix product run by the {@link Kernels} (the Vector API ones when available):
 *
 * <pre>
 * forward   Z^(l+1) = A^(l) · W^(l)ᵀ            A^(l): block × (1 + S_l), column 0 the bias unit a_0 = 1
 * backward  δ^(l)   = (δ^(l+1) · W^(l)[:, 1:]) .* g'(A^(l))
 * gradient  Δ^(l)  += δ^(l+1)ᵀ · A^(l)           the bias column comes out of the column of ones
 * </pre>
 *
 * Δ is summed in float32 over up to {@value #FLUSH_EXAMPLES} examples at a time and then added into the
 * caller's double-precision {@link GradientSum}, so precision does not degrade with the number of
 * examples. The weights are read from the double parameters into {@link FloatWeights} (W and Wᵀ, already
 * in the order the products read them) at every call, which costs O(P) against the O(m · P) of the products.
 *
 * <p>Buffers are made once per network and block size and reused, so a call allocates nothing. Calls
 * on one instance from several threads queue (the methods are synchronized); use one engine per thread
 * to run in parallel.
 */
public final class SimdEngine implements GradientEngine {
    /**
     * Examples per block when none is given. A batch of 256 of 784-1024-1024-10 ran 17–21% faster as one
     * block of 256 than as two of 128 (half the passes over Δ's float sums, and each panel of weights
     * serves twice the rows); 784-256-128-10 moved within the machine's noise (−6% to +12%), at batch 256
     * and at the full batch (JMH, JDK 25, alternating single forks).
     */
    public static final int DEFAULT_BLOCK = 256;

    /**
     * Δ is summed in float32 over at most this many examples before it is added into the double sum (and
     * {@link #computeInFloat} takes at most this many):
     * adding a whole parameter array into doubles after every block would cost as much memory traffic as
     * a small layer's products, and float32 sums of a few thousand terms lose less than 1e-6 relative.
     */
    public static final int FLUSH_EXAMPLES = 2048;

    private final Kernels kernels;
    private final int block;
    private Workspace workspace;
    private FloatWeights ownWeights;

    /** An engine with the kernels chosen for this JVM and blocks of {@value #DEFAULT_BLOCK}. */
    public SimdEngine() {
        this(VectorSupport.kernels(), DEFAULT_BLOCK);
    }

    /** An engine with the kernels chosen for this JVM and the given block size. */
    public SimdEngine(int block) {
        this(VectorSupport.kernels(), block);
    }

    /** An engine on the given kernels (tests compare the scalar twin and the vector kernels with this). */
    public SimdEngine(Kernels kernels, int block) {
        if (block < 1) {
            throw new IllegalArgumentException("the block size must be at least 1, got " + block);
        }
        this.kernels = kernels;
        this.block = block;
    }

    @Override
    public String name() {
        return "simd";
    }

    /** The kernels this engine runs on. */
    public Kernels kernels() {
        return kernels;
    }

    /** Examples per block. */
    public int blockSize() {
        return block;
    }

    @Override
    public synchronized void accumulate(Parameters params, DataSet data, int from, int to, GradientSum sum) {
        Shapes.checkGradient(params, data, from, to, sum);
        accumulate(load(params), data, from, to, sum);
    }

    @Override
    public synchronized void compute(Parameters params, DataSet data, int from, int to, GradientSum sum) {
        Shapes.checkGradient(params, data, from, to, sum);
        compute(load(params), data, from, to, sum);
    }

    /**
     * Adds Δ over examples {@code [from, to)} into {@code sum}, with weights already in float32 (a parallel
     * engine loads them once and shares them between its workers). The caller has checked the shapes.
     */
    public synchronized void accumulate(FloatWeights weights, DataSet data, int from, int to, GradientSum sum) {
        run(weights, data, from, to, sum, false);
    }

    /**
     * Like {@link #accumulate(FloatWeights, DataSet, int, int, GradientSum)}, but replaces what {@code sum}
     * held instead of adding to it, with the bits of a reset followed by an accumulate: no zeroing pass.
     */
    public synchronized void compute(FloatWeights weights, DataSet data, int from, int to, GradientSum sum) {
        run(weights, data, from, to, sum, true);
    }

    /**
     * Δ over examples {@code [from, to)}, at most {@value #FLUSH_EXAMPLES} of them, left in float32 in this
     * engine's own buffer ({@link #floatDelta()}, valid until the next call) instead of added into a double
     * sum; returns Σ J_i. {@link #compute(FloatWeights, DataSet, int, int, GradientSum)} over the same range
     * holds 0.0 + that buffer, element by element, and 0.0 + Σ J_i: a caller that adds two of these buffers
     * into doubles itself (the parallel engine's tree) gets the bits of adding the two double sums, without
     * the pass that writes each chunk's doubles and the one that reads them back.
     */
    public synchronized double computeInFloat(FloatWeights weights, DataSet data, int from, int to) {
        if (from >= to || to - from > FLUSH_EXAMPLES) {
            throw new IllegalArgumentException("a float32 gradient takes 1 to " + FLUSH_EXAMPLES + " examples, got "
                    + (to - from));
        }
        Workspace w = workspace(weights.network);
        double loss = 0.0;
        for (int start = from; start < to; start += block) {
            int end = Math.min(to, start + block);
            loss += w.gradient(weights, data, start, end, start > from);
        }
        return loss;
    }

    /** The float32 Δ of the last {@link #computeInFloat} call, in the layout of the parameters. */
    public float[] floatDelta() {
        return workspace.blockDelta;
    }

    private void run(FloatWeights weights, DataSet data, int from, int to, GradientSum sum, boolean replace) {
        Workspace w = workspace(weights.network);
        if (replace && from == to) {
            sum.reset();
            return;
        }
        double loss = 0.0;
        int pending = 0;
        boolean overwrite = replace;
        for (int start = from; start < to; start += block) {
            int end = Math.min(to, start + block);
            loss += w.gradient(weights, data, start, end, pending > 0);
            pending += end - start;
            if (pending >= FLUSH_EXAMPLES || end == to) {
                w.flush(sum.deltaSum(), overwrite);
                overwrite = false;
                pending = 0;
            }
        }
        if (replace) {
            sum.setTotals(to - from, 0.0 + loss); // as added to a reset sum: −0.0 becomes +0.0
        } else {
            sum.addExamples(to - from, loss);
        }
    }

    @Override
    public synchronized void predict(Parameters params, DataSet data, int from, int to, double[] outputs) {
        Shapes.checkPrediction(params, data, from, to, outputs);
        predict(load(params), data, from, to, outputs, 0);
    }

    /** h(x) of examples {@code [from, to)} into {@code outputs} from {@code at}, with weights in float32. */
    public synchronized void predict(FloatWeights weights, DataSet data, int from, int to, double[] outputs, int at) {
        Workspace w = workspace(weights.network);
        int n = weights.network.outputs();
        for (int start = from; start < to; start += block) {
            int end = Math.min(to, start + block);
            w.predict(weights, data, start, end, outputs, at + (start - from) * n);
        }
    }

    private FloatWeights load(Parameters params) {
        if (ownWeights == null || !ownWeights.network.equals(params.network())) {
            ownWeights = new FloatWeights(params.network());
        }
        ownWeights.load(params);
        return ownWeights;
    }

    private Workspace workspace(Network network) {
        if (workspace == null || !workspace.network.equals(network)) {
            workspace = new Workspace(network, block, kernels);
        }
        return workspace;
    }

    /** The float32 buffers of one network at one block size. */
    private static final class Workspace {
        final Network network;
        final Kernels k;
        final int layers;
        final int lead;
        final int[] units;
        final int[] stride;
        final int[] offset;
        final int[] columns;
        final float[][] act;
        final float[][] delta;
        final float[] blockDelta;
        final float[] targets;

        Workspace(Network network, int block, Kernels kernels) {
            this.network = network;
            this.k = kernels;
            layers = network.layers();
            lead = network.bias() ? 1 : 0;
            units = network.unitsPerLayer();
            stride = new int[layers];
            act = new float[layers][];
            delta = new float[layers][];
            for (int l = 0; l < layers; l++) {
                boolean hasBiasUnit = l < layers - 1;
                stride[l] = units[l] + (hasBiasUnit ? lead : 0);
                act[l] = new float[Math.multiplyExact(block, stride[l])];
                if (hasBiasUnit && lead == 1) {
                    for (int i = 0; i < block; i++) {
                        act[l][i * stride[l]] = 1f; // a_0 = 1, never overwritten: products write from column 1
                    }
                }
                if (l > 0) {
                    delta[l] = new float[Math.multiplyExact(block, units[l])];
                }
            }
            offset = new int[layers - 1];
            columns = new int[layers - 1];
            for (int w = 0; w < layers - 1; w++) {
                offset[w] = network.weightOffset(w);
                columns[w] = network.weightColumns(w);
            }
            blockDelta = new float[network.parameterCount()];
            targets = new float[Math.multiplyExact(block, units[layers - 1])];
        }

        /** Forward through every layer for {@code rows} examples already in act[0]. */
        void forward(FloatWeights fw, int rows) {
            for (int w = 0; w < layers - 1; w++) {
                int out = units[w + 1];
                int outLead = stride[w + 1] - out;
                // Z^(w+1) = A^(w) · W^(w)ᵀ, written after the bias column of the layer above
                k.gemmPacked(rows, out, stride[w], act[w], 0, stride[w], 1, fw.forward, offset[w],
                        act[w + 1], outLead, stride[w + 1], false);
                Activation g = network.activation(w + 1);
                if (g == Activation.SOFTMAX) {
                    continue; // the output's softmax goes with its cost, per example
                }
                if (outLead == 0) {
                    k.activate(g, act[w + 1], 0, rows * out);
                } else {
                    for (int i = 0; i < rows; i++) {
                        k.activate(g, act[w + 1], i * stride[w + 1] + outLead, out);
                    }
                }
            }
        }

        /**
         * Δ of examples [start, end) into the float block sum, added to what it holds when
         * {@code accumulate} and replacing it otherwise; returns Σ J_i.
         */
        double gradient(FloatWeights fw, DataSet data, int start, int end, boolean accumulate) {
            int rows = end - start;
            data.readInputs(start, end, act[0], lead, stride[0]);
            data.readTargets(start, end, targets, 0);
            forward(fw, rows);
            double loss = outputDelta(rows);
            for (int l = layers - 2; l >= 1; l--) {
                // δ^(l) = (δ^(l+1) · W^(l) without its bias column) .* g'(a^(l))
                int n = units[l];
                k.gemmPacked(rows, n, units[l + 1], delta[l + 1], 0, units[l + 1], 1, fw.backward, offset[l],
                        delta[l], 0, n, false);
                Activation g = network.activation(l);
                if (lead == 0) {
                    k.multiplyByDerivative(g, act[l], 0, delta[l], 0, rows * n);
                } else {
                    for (int i = 0; i < rows; i++) {
                        k.multiplyByDerivative(g, act[l], i * stride[l] + lead, delta[l], i * n, n);
                    }
                }
            }
            for (int w = 0; w < layers - 1; w++) {
                // Δ^(w) = δ^(w+1)ᵀ · A^(w): A's column of ones gives the bias column
                int out = units[w + 1];
                k.gemm(out, columns[w], rows, delta[w + 1], 0, 1, out, act[w], 0, stride[w],
                        blockDelta, offset[w], columns[w], accumulate);
            }
            return loss;
        }

        /** Adds the float block sum into the caller's double Δ, or writes it onto 0 when {@code overwrite}. */
        void flush(double[] deltaSum, boolean overwrite) {
            if (overwrite) {
                // 0.0 + x, as a reset sum would hold: the same bits as x except that −0.0 becomes +0.0
                for (int i = 0; i < deltaSum.length; i++) {
                    deltaSum[i] = 0.0 + blockDelta[i];
                }
            } else {
                for (int i = 0; i < deltaSum.length; i++) {
                    deltaSum[i] += blockDelta[i];
                }
            }
        }

        /** δ^(L) and Σ J_i for the block, from the output activations (softmax applied here). */
        double outputDelta(int rows) {
            int n = units[layers - 1];
            float[] a = act[layers - 1];
            float[] d = delta[layers - 1];
            double loss = 0.0;
            if (network.cost() == Cost.HALF_SSE) {
                for (int i = 0; i < rows * n; i++) {
                    float e = a[i] - targets[i];
                    loss += 0.5 * e * e;
                    d[i] = e; // (a − y), then .* g'(z^(L))
                }
                k.multiplyByDerivative(network.activation(layers - 1), a, 0, d, 0, rows * n);
            } else {
                for (int i = 0; i < rows; i++) {
                    loss += softmaxCrossEntropy(a, d, i * n, n);
                }
            }
            return loss;
        }

        /**
         * a = softmax(z) in place, δ = a − y, and J_i = −Σ y_k (z_k − ln Σ e^z), without a log of a.
         * StrictMath, whose bits are specified, keeps the result the same in interpreted and compiled code.
         */
        double softmaxCrossEntropy(float[] a, float[] d, int at, int n) {
            double logSum = logSumExp(a, at, n);
            double loss = 0.0;
            for (int j = at; j < at + n; j++) {
                loss -= targets[j] * (a[j] - logSum);
            }
            softmax(a, at, n, logSum);
            for (int j = at; j < at + n; j++) {
                d[j] = a[j] - targets[j];
            }
            return loss;
        }

        void predict(FloatWeights fw, DataSet data, int start, int end, double[] outputs, int at) {
            int rows = end - start;
            int n = units[layers - 1];
            data.readInputs(start, end, act[0], lead, stride[0]);
            forward(fw, rows);
            float[] a = act[layers - 1];
            if (network.activation(layers - 1) == Activation.SOFTMAX) {
                for (int i = 0; i < rows; i++) {
                    softmax(a, i * n, n, logSumExp(a, i * n, n));
                }
            }
            for (int i = 0; i < rows * n; i++) {
                outputs[at + i] = a[i];
            }
        }

        /** ln Σ e^z over {@code z[at .. at+n)}, with the largest z taken out first so nothing overflows. */
        static double logSumExp(float[] z, int at, int n) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = at; j < at + n; j++) {
                max = Math.max(max, z[j]);
            }
            double sum = 0.0;
            for (int j = at; j < at + n; j++) {
                sum += StrictMath.exp(z[j] - max);
            }
            return max + StrictMath.log(sum);
        }

        /** a = e^(z − ln Σ e^z) in place. */
        static void softmax(float[] a, int at, int n, double logSum) {
            for (int j = at; j < at + n; j++) {
                a[j] = (float) StrictMath.exp(a[j] - logSum);
            }
        }
    }
}
