package dev.backprop.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * The parameters of the benchmarks that time gradients on a {@link RandomBatch}, and that batch. The
 * parameter names are those {@code nn bench} passes and its report reads.
 */
public abstract class BatchBenchmark extends VectorBenchmark {
    @Param({"784-256-128-10"})
    public String network;

    @Param({"256"})
    public int batch;

    /** {@code sigmoid-sse} (docs/MATH.md's network) or {@code relu-softmax} (nn train's default recipe). */
    @Param({"sigmoid-sse"})
    public String model;

    /** Made by {@link #makeProblem()}, which each subclass's {@code @Setup} calls first. */
    protected RandomBatch problem;

    protected final void makeProblem() {
        problem = new RandomBatch(network, batch, model);
    }
}
