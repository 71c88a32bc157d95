package dev.backprop.core;

/**
 * A view of one weight matrix W^(l) inside a flat parameter array: row j is unit j of the layer above,
 * column k unit k of the layer below, column 0 the bias unit when the bias is on. Reads and writes go to
 * the shared array.
 */
public final class WeightMatrix {
    private final double[] values;
    private final int offset;
    private final int rows;
    private final int columns;

    WeightMatrix(double[] values, int offset, int rows, int columns) {
        this.values = values;
        this.offset = offset;
        this.rows = rows;
        this.columns = columns;
    }

    /** The units of the layer above. */
    public int rows() {
        return rows;
    }

    /** The units of the layer below, plus one for the bias column when the bias is on. */
    public int columns() {
        return columns;
    }

    /** Where w_00 sits in the flat array. */
    public int offset() {
        return offset;
    }

    /** The flat index of w_jk. */
    public int index(int j, int k) {
        if (j < 0 || j >= rows || k < 0 || k >= columns) {
            throw new IndexOutOfBoundsException("w[" + j + "][" + k + "] outside a " + rows + "×" + columns + " matrix");
        }
        return offset + j * columns + k;
    }

    /** w_jk. */
    public double get(int j, int k) {
        return values[index(j, k)];
    }

    /** Sets w_jk. */
    public void set(int j, int k, double value) {
        values[index(j, k)] = value;
    }
}
