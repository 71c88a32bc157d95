package dev.backprop.predict;

import dev.backprop.core.Activation;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.tabular.Preprocessing;
import dev.backprop.core.tabular.TargetEncoding;
import dev.backprop.simd.FloatWeights;
import dev.backprop.simd.SimdEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 *
 * <p>A model trained on a table carries its {@link Preprocessing}, and then {@link #predict(Map)},
 * {@link #predictClass(Map)} and {@link #predictValue(Map)} take a row of named values as a CSV would hold
 * them, encode it as training did, and give the answer in the table's terms: the class name, or the target in
 * its own units. The methods that take a {@code float[]} always take the network's own inputs, the
 * {@link #inputs()} encoded features (for a model with preprocessing, what {@link Preprocessing#encode}
 * gives), never raw column values: that keeps them free of allocation and the same for every model.
 */
public final class Predictor {
    /**
     * Examples one worker runs through the kernels at a time. A single example reads every weight once
     * whatever the block; batches gain from a block as tall as the register tiles up to a few dozen rows,
     * while the buffers of a worker stay small.
     */
    static final int BLOCK = 64;

    private final Model model;
    private final Preprocessing preprocessing;
    private final Network network;
    private final FloatWeights weights;
    private final int inputs;
    private final int outputs;
    private final DataSet shape;
    private final AtomicReferenceArray<Worker> idle;

    private Predictor(Model model) {
        this.model = model;
        this.preprocessing = model.preprocessing().orElse(null);
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

    /** The preprocessing that turns a row of named values into the network's inputs; empty if the model has none. */
    public Optional<Preprocessing> preprocessing() {
        return Optional.ofNullable(preprocessing);
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

    /**
     * h(x) of one example of {@link #inputs()} features, in a new array of {@link #outputs()} values. The
     * features are the network's inputs: for a model with preprocessing, already encoded (standardized, one-hot),
     * as {@link Preprocessing#encode} makes them; see {@link #predict(Map)} for a row of column values.
     */
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

    /**
     * The prediction for a row of named values (column name → text, as in a CSV cell; in any order; names that
     * are not input columns are ignored), encoded by the model's preprocessing as training encoded its rows: for
     * a classifier the outputs (the class probabilities of a softmax output layer, in the order of
     * {@link TargetEncoding.Classes#classes()}), for a regression the one value in the target's own units
     * ({@link TargetEncoding.Scaled#value}). A category that training never saw is encoded as all zeros, as
     * {@link Preprocessing#encode(Map)} does, and does not fail.
     *
     * <p>Unlike the {@code float[]} methods, this one allocates: the encoded input and the result.
     *
     * @throws IllegalArgumentException if the model has no preprocessing, or the row lacks a column the model
     *     needs ({@code the row has no value for column 'size', which the model needs}), or a value cannot be
     *     encoded (text in a numeric column, a missing value the model does not impute), saying which column
     */
    public double[] predict(Map<String, String> row) {
        Preprocessing p = requirePreprocessing();
        double[] h = outputs(p, row);
        if (p.target() instanceof TargetEncoding.Scaled s) {
            h[0] = s.value(h[0]);
        }
        return h;
    }

    /**
     * The class name of a row of named values (see {@link #predict(Map)}): the class of the largest output,
     * the first of equal ones.
     *
     * @throws IllegalArgumentException as {@link #predict(Map)}, or if the model is a regression
     */
    public String predictClass(Map<String, String> row) {
        Preprocessing p = requirePreprocessing();
        if (!(p.target() instanceof TargetEncoding.Classes k)) {
            throw new IllegalArgumentException("the model predicts the number '" + p.target().name()
                    + "', not a class: use predictValue");
        }
        double[] h = outputs(p, row);
        int best = 0;
        for (int j = 1; j < h.length; j++) {
            if (h[j] > h[best]) {
                best = j;
            }
        }
        return k.classes().get(best);
    }

    /**
     * The target of a row of named values (see {@link #predict(Map)}) in its own units, for a regression.
     *
     * @throws IllegalArgumentException as {@link #predict(Map)}, or if the model is a classifier
     */
    public double predictValue(Map<String, String> row) {
        Preprocessing p = requirePreprocessing();
        if (!(p.target() instanceof TargetEncoding.Scaled s)) {
            throw new IllegalArgumentException("the model predicts the class '" + p.target().name()
                    + "', not a number: use predictClass");
        }
        return s.value(outputs(p, row)[0]);
    }

    private Preprocessing requirePreprocessing() {
        if (preprocessing == null) {
            throw new IllegalArgumentException("the model has no preprocessing, so it cannot read a row of named values: "
                    + "give it its " + inputs + " features as a float[]");
        }
        return preprocessing;
    }

    /** The outputs of the encoded row in double, as the engine gives them, so that a regression's value is not rounded to float first. */
    private double[] outputs(Preprocessing p, Map<String, String> row) {
        Objects.requireNonNull(row, "row");
        float[] features = p.encode(row);
        checkFinite(features, 1);
        Worker w = acquire();
        try {
            w.buffer.writeInputs(0, 1, features, 0);
            w.engine.predict(weights, w.buffer, 0, 1, w.outputs, 0);
            return Arrays.copyOf(w.outputs, outputs);
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
