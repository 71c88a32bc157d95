package dev.backprop.spark;

import dev.backprop.core.data.DataSet;
import java.io.Serializable;

/**
 * The examples of one partition, packed for the executors: float32 inputs and targets, row after row.
 * Serialized once when the data set is cached; the {@link DataSet} view is made on the executor.
 */
final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    final int size;
    final int inputs;
    final int targets;
    private final float[] x;
    private final float[] y;
    private transient DataSet view;

    Block(int size, int inputs, int targets, float[] x, float[] y) {
        this.size = size;
        this.inputs = inputs;
        this.targets = targets;
        this.x = x;
        this.y = y;
    }

    /** The examples as an nn-core data set; null for an empty partition. */
    synchronized DataSet dataSet() {
        if (view == null && size > 0) {
            view = DataSet.ofFloats(x, inputs, y, targets);
        }
        return view;
    }
}
