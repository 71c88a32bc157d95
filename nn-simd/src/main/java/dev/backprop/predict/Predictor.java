package dev.backprop.predict;

import dev.backprop.core.Activation;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.simd.FloatWeights;
import dev.backprop.simd.SimdEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A trained model ready to answer: h(x) for one example or a batch, in float32 through the SIMD engine's
 * forward pass (the Vector API kernels when the JVM runs with {@code --add-modules jdk.incubator.vector}).
 * A classifier's outputs are its softmax probabilities; a regression's are its output activations.
 *
 * <p>Thread-safe: the weights are converted to float32 once and only read afterwards, and each call borrows a
 * worker (an engine and its buffers) from a small lock-free pool, so concurrent calls never wait on each
 * other. A worker is made when every pooled one is busy, and more than the pool holds are let go when they
 * come back, so once the pool has as many workers as calls run at a time, the calls that take an output
 * array allocate nothing.
 *
 * <p>Inputs are checked before any work: an input of the wrong length, or with NaN or an infinity, is refused
 * with an {@link IllegalArgumentException} that names the row and the feature.
 */
public final class Predictor {
    /**
     * Examples one worker runs through the kernels at a time. A single example reads every weight once
     * whatever the block; batches gain from a block as tall as the register tiles up to a few dozen rows,
     * while the buffers of a worker stay small.
     */
    static final int BLOCK = 64;

    private final Model model;
    private final Network network;
    private final FloatWeights weights;
    private final int inputs;
    private final int outputs;
    private final DataSet shape;
    private final AtomicReferenceArray<Worker> idle;

    private Predictor(Model model) {
        this.model = model;
        this.network = model.network();
        this.inputs = network.inputs();
        this.outputs = network.outputs();
        this.weights = new FloatWeights(network);
        weights.load(model.parameters());
        this.shape = DataSet.ofFloats(new float[inputs], inputs, new float[outputs], outputs);
        this.idle = new AtomicReferenceArray<>(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    }

    /** Reads a model file (see {@link ModelFile}) and makes it ready to predict. */
    public static Predictor load(Path modelFile) throws IOException {
        return new Predictor(ModelFile.read(modelFile));
    }

    /** A predictor of a model in memory; later changes to its parameters do not reach the predictor. */
    public static Predictor of(Model model) {
        return new Predictor(Objects.requireNonNull(model, "model"));
    }

    /** A predictor of bare parameters, with no provenance. */
    public static Predictor of(Parameters parameters) {
        return of(new Model(parameters, Map.of()));
    }

    /** The model this predictor answers for, with its provenance (class names, data, settings). */
    public Model model() {
        return model;
    }

    /** The network: layer sizes, activations, bias units, cost. */
    public Network network() {
        return network;
    }

    /** S_1: how many features one example has. */
    public int inputs() {
        return inputs;
    }

    /** S_L: how many values one prediction has. */
    public int outputs() {
        return outputs;
    }

    /** Whether the outputs are class probabilities (a softmax output layer). */
    public boolean isClassifier() {
        return network.activation(network.layers() - 1) == Activation.SOFTMAX;
    }

    /** h(x) of one example of {@link #inputs()} features, in a new array of {@link #outputs()} values. */
    public float[] predict(float[] features) {
        float[] out = new float[outputs];
        predict(features, out);
        return out;
    }

    /** h(x) of one example into {@code out[0 .. outputs())}; allocates nothing once warm. */
    public void predict(float[] features, float[] out) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(out, "out");
        checkLength(features);
        if (out.length < outputs) {
            throw new IllegalArgumentException("the model gives " + outputs + " outputs, but out has room for "
                    + out.length);
        }
        checkFinite(features, 1);
        run(features, 1, out);
    }

    /**
     * h(x) of {@code rows} examples, row-major in {@code features} ({@code rows} × {@link #inputs()}), in a
     * new array of {@code rows} × {@link #outputs()} values.
     */
    public float[] predict(float[] features, int rows) {
        float[] out = new float[Math.multiplyExact(Math.max(rows, 0), outputs)];
        predict(features, rows, out);
        return out;
    }

    /** h(x) of {@code rows} examples into {@code out}, row-major; allocates nothing once warm. */
    public void predict(float[] features, int rows, float[] out) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(out, "out");
        if (rows < 1) {
            throw new IllegalArgumentException("a batch needs at least 1 row, got " + rows);
        }
        long in = (long) rows * inputs;
        if (features.length != in) {
            throw new IllegalArgumentException("a batch of " + rows + " rows takes " + in + " features (" + inputs
                    + " each), got " + features.length);
        }
        long n = (long) rows * outputs;
        if (out.length < n) {
            throw new IllegalArgumentException("a batch of " + rows + " rows gives " + n + " outputs (" + outputs
                    + " each), but out has room for " + out.length);
        }
        checkFinite(features, rows);
        run(features, rows, out);
    }

    /** The class of one example: the index of its largest output (the first of equal ones). */
    public int predictClass(float[] features) {
        Objects.requireNonNull(features, "features");
        checkLength(features);
        checkFinite(features, 1);
        Worker w = acquire();
        try {
            float[] out = w.prediction;
            run(w, features, 1, out);
            int best = 0;
            for (int j = 1; j < outputs; j++) {
                if (out[j] > out[best]) {
                    best = j;
                }
            }
            return best;
        } finally {
            release(w);
        }
    }

    private void checkLength(float[] features) {
        if (features.length != inputs) {
            throw new IllegalArgumentException("the model takes " + inputs + " features, got " + features.length);
        }
    }

    private void checkFinite(float[] features, int rows) {
        for (int i = 0; i < features.length; i++) {
            if (!Float.isFinite(features[i])) {
                String where = rows == 1 ? "feature " + i : "row " + i / inputs + ", feature " + i % inputs;
                throw new IllegalArgumentException(where + " is " + features[i] + "; the model takes finite numbers");
            }
        }
    }

    private void run(float[] features, int rows, float[] out) {
        Worker w = acquire();
        try {
            run(w, features, rows, out);
        } finally {
            release(w);
        }
    }

    private void run(Worker w, float[] features, int rows, float[] out) {
        for (int start = 0; start < rows; start += BLOCK) {
            int count = Math.min(BLOCK, rows - start);
            w.buffer.writeInputs(0, count, features, start * inputs);
            w.engine.predict(weights, w.buffer, 0, count, w.outputs, 0);
            int at = start * outputs;
            for (int i = 0; i < count * outputs; i++) {
                out[at + i] = (float) w.outputs[i];
            }
        }
    }

    /** A pooled worker, or a new one when all of them are busy. */
    private Worker acquire() {
        for (int i = 0; i < idle.length(); i++) {
            Worker w = idle.get(i);
            if (w != null && idle.compareAndSet(i, w, null)) {
                return w;
            }
        }
        return new Worker();
    }

    private void release(Worker w) {
        for (int i = 0; i < idle.length(); i++) {
            if (idle.get(i) == null && idle.compareAndSet(i, null, w)) {
                return;
            }
        }
    }

    /** What one call at a time needs: its own engine (whose buffers are not shared) and buffers. */
    private final class Worker {
        final SimdEngine engine = new SimdEngine(BLOCK);
        final DataSet buffer = shape.newBuffer(BLOCK);
        final double[] outputs = new double[BLOCK * Predictor.this.outputs];
        final float[] prediction = new float[Predictor.this.outputs];
    }

    @Override
    public String toString() {
        return "Predictor[" + network + "]";
    }
}
