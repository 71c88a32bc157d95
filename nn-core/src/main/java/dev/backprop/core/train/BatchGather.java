package dev.backprop.core.train;

import dev.backprop.core.RangeTask;
import dev.backprop.core.data.DataSet;

/** Copies a shuffled mini-batch into the contiguous buffer the engine reads, a part of its rows per slice. */
final class BatchGather implements RangeTask {
    /** Rows per thread below which gathering is not worth a worker's wake-up. */
    static final int ROWS = 32;
    private final DataSet data;
    final int[] order;
    private final DataSet buffer;
    /** Where the step's examples start in {@link #order}. */
    int lo;

    BatchGather(DataSet data, int[] order, DataSet buffer) {
        this.data = data;
        this.order = order;
        this.buffer = buffer;
    }

    @Override
    public void run(int from, int to) {
        data.gatherInto(order, lo + from, lo + to, buffer, from);
    }
}
