package dev.backprop.core.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Examples in memory: m rows of S_1 inputs and S_L targets, row-major, with the class label of each
 * example when it is a classification set (targets one-hot).
 *
 * <p>Values are stored in float32 (images, large sets) or float64 (text files such as CSV, whose values
 * the gradient command must use exactly as written). Engines read them through the copy methods, in the
 * precision they compute in. Every value is checked to be finite when the set is made, so engines never
 * see NaN or infinity from the data.
 *
 * <p>Immutable, except for buffers made by {@link #newBuffer(int)}, which a caller refills with
 * {@link #gatherInto}, and views made by {@link #reordered(int[])}, which read their order array as it is
 * at each call: the trainer reshuffles that array every epoch, and the engines read a shuffled mini-batch
 * through the view straight into their own blocks, with no copy of the batch in between.
 */
public final class DataSet {
    private final int size;
    private final int inputSize;
    private final int targetSize;
    private final float[] floatInputs;
    private final double[] doubleInputs;
    private final float[] floatTargets;
    private final double[] doubleTargets;
    private final int[] labels;
    private final int classes;
    private final boolean buffer;
    /** For a view, the stored example behind each of its examples; null otherwise. */
    private final int[] rows;
    /** The examples the arrays hold: {@link #size} but for a view. */
    private final int stored;

    private DataSet(int size, int inputSize, int targetSize, float[] floatInputs, double[] doubleInputs,
            float[] floatTargets, double[] doubleTargets, int[] labels, int classes, boolean buffer) {
        this(size, inputSize, targetSize, floatInputs, doubleInputs, floatTargets, doubleTargets, labels, classes,
                buffer, null, size);
    }

    private DataSet(int size, int inputSize, int targetSize, float[] floatInputs, double[] doubleInputs,
            float[] floatTargets, double[] doubleTargets, int[] labels, int classes, boolean buffer, int[] rows,
            int stored) {
        this.rows = rows;
        this.stored = stored;
        this.size = size;
        this.inputSize = inputSize;
        this.targetSize = targetSize;
        this.floatInputs = floatInputs;
        this.doubleInputs = doubleInputs;
        this.floatTargets = floatTargets;
        this.doubleTargets = doubleTargets;
        this.labels = labels;
        this.classes = classes;
        this.buffer = buffer;
    }

    /** A float32 set from row-major arrays; the arrays are copied and checked. */
    public static DataSet ofFloats(float[] inputs, int inputSize, float[] targets, int targetSize) {
        int size = rows(inputs.length, inputSize, targets.length, targetSize);
        checkFinite(inputs, inputSize, "input");
        checkFinite(targets, targetSize, "target");
        return new DataSet(size, inputSize, targetSize, inputs.clone(), null, targets.clone(), null, null, 0, false);
    }

    /** A float64 set from row-major arrays; the arrays are copied and checked. */
    public static DataSet ofDoubles(double[] inputs, int inputSize, double[] targets, int targetSize) {
        int size = rows(inputs.length, inputSize, targets.length, targetSize);
        checkFinite(inputs, inputSize, "input");
        checkFinite(targets, targetSize, "target");
        return new DataSet(size, inputSize, targetSize, null, inputs.clone(), null, targets.clone(), null, 0, false);
    }

    /**
     * A classification set: float32 inputs and a label in [0, classes) per example, whose targets are the
     * one-hot vectors of the labels.
     */
    public static DataSet classification(float[] inputs, int inputSize, int[] labels, int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classification set needs at least 2 classes, got " + classes);
        }
        int size = rows(inputs.length, inputSize, labels.length, 1);
        checkFinite(inputs, inputSize, "input");
        float[] targets = new float[Math.multiplyExact(size, classes)];
        for (int i = 0; i < size; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("example " + i + " has label " + labels[i]
                        + ", outside the " + classes + " classes 0.." + (classes - 1));
            }
            targets[i * classes + labels[i]] = 1f;
        }
        return new DataSet(size, inputSize, classes, inputs.clone(), null, targets, null, labels.clone(), classes, false);
    }

    private static int rows(int inputValues, int inputSize, int targetValues, int targetSize) {
        if (inputSize < 1 || targetSize < 1) {
            throw new IllegalArgumentException("examples need at least 1 input and 1 target, got "
                    + inputSize + " and " + targetSize);
        }
        if (inputValues % inputSize != 0) {
            throw new IllegalArgumentException(inputValues + " input values are not a whole number of examples of "
                    + inputSize);
        }
        int size = inputValues / inputSize;
        if (size == 0) {
            throw new IllegalArgumentException("the data set is empty: it has no examples");
        }
        if ((long) size * targetSize != targetValues) {
            throw new IllegalArgumentException(size + " examples of " + inputSize + " inputs need " + (long) size * targetSize
                    + " target values (" + targetSize + " each), but " + targetValues + " were given");
        }
        return size;
    }

    private static void checkFinite(float[] values, int width, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("example " + i / width + ", " + what + " " + i % width + " is "
                        + values[i] + "; values must be finite");
            }
        }
    }

    private static void checkFinite(double[] values, int width, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("example " + i / width + ", " + what + " " + i % width + " is "
                        + values[i] + "; values must be finite");
            }
        }
    }

    /** m, the number of examples. */
    public int size() {
        return size;
    }

    /** The stored example behind example {@code i} (checked), which is i itself but in a view. */
    private int row(int i) {
        Objects.checkIndex(i, size);
        return rows == null ? i : Objects.checkIndex(rows[i], stored);
    }

    /**
     * This set seen through {@code order}: example i of the view is example {@code order[i]} of this set,
     * with no copy. The view reads {@code order} at each call, so it follows later changes to the array
     * (one view serves every epoch of a run that reshuffles the array in place); an index outside
     * {@code [0, m)} fails the call that reads it. A view of a view reads through both orders as they are now.
     */
    public DataSet reordered(int[] order) {
        Objects.requireNonNull(order, "order");
        if (order.length == 0) {
            throw new IllegalArgumentException("the view would be empty: the order has no examples");
        }
        int[] through = order;
        if (rows != null) {
            through = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                through[i] = row(order[i]);
            }
        }
        return new DataSet(order.length, inputSize, targetSize, floatInputs, doubleInputs, floatTargets, doubleTargets,
                labels, classes, false, through, stored);
    }

    /** S_1, the inputs per example. */
    public int inputSize() {
        return inputSize;
    }

    /** S_L, the targets per example. */
    public int targetSize() {
        return targetSize;
    }

    /** Whether values are stored in float64 (otherwise float32). */
    public boolean isDoublePrecision() {
        return doubleInputs != null;
    }

    /** Whether each example has a class label (a set made by {@link #classification}). */
    public boolean hasLabels() {
        return labels != null;
    }

    /** The number of classes of a classification set, 0 otherwise. */
    public int classes() {
        return classes;
    }

    /** The class label of example {@code i} of a classification set. */
    public int label(int i) {
        if (labels == null) {
            throw new IllegalStateException("this data set has no class labels");
        }
        return labels[row(i)];
    }

    /** Input k of example i. */
    public double input(int i, int k) {
        int at = row(i) * inputSize + Objects.checkIndex(k, inputSize);
        return floatInputs != null ? floatInputs[at] : doubleInputs[at];
    }

    /** Target k of example i. */
    public double target(int i, int k) {
        int at = row(i) * targetSize + Objects.checkIndex(k, targetSize);
        return floatTargets != null ? floatTargets[at] : doubleTargets[at];
    }

    /** Copies the inputs of example i to {@code dst[offset ..]}. */
    public void readInputs(int i, double[] dst, int offset) {
        int at = row(i) * inputSize;
        if (floatInputs != null) {
            for (int k = 0; k < inputSize; k++) {
                dst[offset + k] = floatInputs[at + k];
            }
        } else {
            System.arraycopy(doubleInputs, at, dst, offset, inputSize);
        }
    }

    /** Copies the inputs of examples {@code [from, to)}, row after row, to {@code dst[offset ..]} in float32. */
    public void readInputs(int from, int to, float[] dst, int offset) {
        readInputs(from, to, dst, offset, inputSize);
    }

    /**
     * Copies the inputs of examples {@code [from, to)} to {@code dst} in float32, example r at
     * {@code dst[offset + r·rowStride ..]}: room can be left before each row, for the bias unit.
     */
    public void readInputs(int from, int to, float[] dst, int offset, int rowStride) {
        Objects.checkFromToIndex(from, to, size);
        if (rowStride < inputSize) {
            throw new IllegalArgumentException("row stride " + rowStride + " is shorter than the " + inputSize + " inputs");
        }
        for (int i = from, o = offset; i < to; i++, o += rowStride) {
            int at = (rows == null ? i : Objects.checkIndex(rows[i], stored)) * inputSize;
            if (floatInputs != null) {
                System.arraycopy(floatInputs, at, dst, o, inputSize);
            } else {
                for (int k = 0; k < inputSize; k++) {
                    dst[o + k] = (float) doubleInputs[at + k];
                }
            }
        }
    }

    /** Copies the targets of example i to {@code dst[offset ..]}. */
    public void readTargets(int i, double[] dst, int offset) {
        int at = row(i) * targetSize;
        if (floatTargets != null) {
            for (int k = 0; k < targetSize; k++) {
                dst[offset + k] = floatTargets[at + k];
            }
        } else {
            System.arraycopy(doubleTargets, at, dst, offset, targetSize);
        }
    }

    /** Copies the targets of examples {@code [from, to)}, row after row, to {@code dst[offset ..]} in float32. */
    public void readTargets(int from, int to, float[] dst, int offset) {
        Objects.checkFromToIndex(from, to, size);
        if (rows != null) {
            for (int i = from, o = offset; i < to; i++, o += targetSize) {
                int at = Objects.checkIndex(rows[i], stored) * targetSize;
                for (int k = 0; k < targetSize; k++) {
                    dst[o + k] = floatTargets != null ? floatTargets[at + k] : (float) doubleTargets[at + k];
                }
            }
        } else if (floatTargets != null) {
            System.arraycopy(floatTargets, from * targetSize, dst, offset, (to - from) * targetSize);
        } else {
            for (int i = from * targetSize, o = offset; i < to * targetSize; i++, o++) {
                dst[o] = (float) doubleTargets[i];
            }
        }
    }

    /** The examples {@code [from, to)} as a new set (same precision, labels kept). */
    public DataSet slice(int from, int to) {
        Objects.checkFromToIndex(from, to, size);
        int[] order = new int[to - from];
        Arrays.setAll(order, i -> from + i);
        return select(order);
    }

    /**
     * The examples at {@code indices}, in that order, as a new set (same precision, labels kept): a
     * validation split, say.
     */
    public DataSet select(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("the data set would be empty: no examples were selected");
        }
        DataSet out = newBuffer(indices.length);
        gatherInto(indices, 0, indices.length, out);
        return new DataSet(out.size, inputSize, targetSize, out.floatInputs, out.doubleInputs, out.floatTargets,
                out.doubleTargets, out.labels, classes, false);
    }

    /**
     * A zero-filled, writable set of {@code capacity} examples shaped and stored like this one, to be
     * filled by {@link #gatherInto}.
     */
    public DataSet newBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a buffer needs room for at least 1 example, got " + capacity);
        }
        long in = (long) capacity * inputSize;
        long out = (long) capacity * targetSize;
        boolean f = floatInputs != null;
        return new DataSet(capacity, inputSize, targetSize,
                f ? new float[Math.toIntExact(in)] : null, f ? null : new double[Math.toIntExact(in)],
                f ? new float[Math.toIntExact(out)] : null, f ? null : new double[Math.toIntExact(out)],
                labels != null ? new int[capacity] : null, classes, true);
    }

    /**
     * Copies the examples {@code order[from .. to)} of this set to rows {@code 0 .. to − from} of
     * {@code buffer} (made by {@link #newBuffer}), so that a shuffled mini-batch is contiguous.
     */
    public void gatherInto(int[] order, int from, int to, DataSet buffer) {
        if (!buffer.buffer || buffer.inputSize != inputSize || buffer.targetSize != targetSize
                || (buffer.floatInputs != null) != (floatInputs != null) || (buffer.labels != null) != (labels != null)) {
            throw new IllegalArgumentException("the target is not a buffer made by newBuffer() of this data set");
        }
        if (to - from > buffer.size) {
            throw new IllegalArgumentException((to - from) + " examples do not fit a buffer of " + buffer.size);
        }
        for (int r = 0, p = from; p < to; r++, p++) {
            int i = row(order[p]);
            if (floatInputs != null) {
                System.arraycopy(floatInputs, i * inputSize, buffer.floatInputs, r * inputSize, inputSize);
                System.arraycopy(floatTargets, i * targetSize, buffer.floatTargets, r * targetSize, targetSize);
            } else {
                System.arraycopy(doubleInputs, i * inputSize, buffer.doubleInputs, r * inputSize, inputSize);
                System.arraycopy(doubleTargets, i * targetSize, buffer.doubleTargets, r * targetSize, targetSize);
            }
            if (labels != null) {
                buffer.labels[r] = labels[i];
            }
        }
    }

    /**
     * Writes the inputs of rows {@code [from, to)} of a buffer made by {@link #newBuffer} from
     * {@code src[offset ..]}, row after row, so that inputs that arrive one by one (a prediction service)
     * reach an engine without a new set per call. The values are checked to be finite like every set's.
     */
    public void writeInputs(int from, int to, float[] src, int offset) {
        if (!buffer) {
            throw new IllegalStateException("only a buffer made by newBuffer() can be written");
        }
        Objects.checkFromToIndex(from, to, size);
        int n = (to - from) * inputSize;
        Objects.checkFromIndexSize(offset, n, src.length);
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(src[offset + i])) {
                throw new IllegalArgumentException("example " + (from + i / inputSize) + ", input " + i % inputSize
                        + " is " + src[offset + i] + "; values must be finite");
            }
        }
        int at = from * inputSize;
        if (floatInputs != null) {
            System.arraycopy(src, offset, floatInputs, at, n);
        } else {
            for (int i = 0; i < n; i++) {
                doubleInputs[at + i] = src[offset + i];
            }
        }
    }

    @Override
    public String toString() {
        return "DataSet[" + size + " examples, " + inputSize + " inputs, " + targetSize + " targets, "
                + (isDoublePrecision() ? "float64" : "float32") + (labels != null ? ", " + classes + " classes]" : "]");
    }
}
