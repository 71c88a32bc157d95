package dev.backprop.spark;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Parameters;
import dev.backprop.core.SeededRandom;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.parallel.EngineKind;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Δ over a {@link SparkDataSet}: the weights are broadcast, every partition adds its examples into a
 * {@link GradientSum} on its executor's engine, and the partial sums are combined pairwise, level by level
 * (partials 2k and 2k+1 become k), until one is left: in shuffles while more than {@link #DRIVER_MERGE}
 * remain, then on the driver.
 *
 * <p>Why not {@code treeAggregate}: its last step merges the partitions' results on the driver in the order
 * the tasks finish, and floating-point addition of three or more terms depends on the order, so two runs
 * could differ in the last bits. Merging exactly two partials is one commutative IEEE addition per weight, so
 * this tree gives the same bits on every run, whatever order tasks finish or are retried in. Its shape, and so
 * the bits, depend on the partitioning only; with another partitioning the gradient changes within rounding.
 */
public final class SparkGradient {
    /** Up to this many partials are merged on the driver rather than in a shuffle: 16 × P doubles at most. */
    static final int DRIVER_MERGE = 16;

    private final JavaSparkContext sc;
    private final EngineKind engine;

    /**
     * Gradients on {@code sc}'s cluster, computed with {@code engine} on the executors: {@code SIMD}, one SIMD
     * engine per task (the executor's cores run one task each); {@code PARALLEL}, one parallel engine per
     * executor with a pool of the executor's cores, for which tasks queue; {@code REFERENCE}, the double
     * precision oracle, one per task.
     */
    public SparkGradient(JavaSparkContext sc, EngineKind engine) {
        this.sc = sc;
        this.engine = engine;
    }

    /** Δ, Σ J_i and m over every example of {@code data}. */
    public GradientSum accumulate(Parameters params, SparkDataSet data) {
        return accumulate(params, data, 0, 0, 0);
    }

    /**
     * Δ over a sample of {@code batch} examples: partition p contributes a share proportional to its size
     * (the shares add up to {@code batch} exactly), drawn without replacement from a generator seeded by
     * {@code seed}, {@code step} and p, so a step's sample depends on neither timing nor the cluster's size.
     */
    public GradientSum accumulateSample(Parameters params, SparkDataSet data, int batch, long seed, long step) {
        if (batch < 1 || batch > data.size()) {
            throw new IllegalArgumentException("a sample of " + batch + " examples from " + data.size() + " is impossible");
        }
        return accumulate(params, data, batch, seed, step);
    }

    private GradientSum accumulate(Parameters params, SparkDataSet data, int batch, long seed, long step) {
        if (data.inputSize() != params.network().inputs() || data.targetSize() != params.network().outputs()) {
            throw new IllegalArgumentException("the data has " + data.inputSize() + " inputs and " + data.targetSize()
                    + " targets, but the network " + params.network() + " has " + params.network().inputs() + " and "
                    + params.network().outputs());
        }
        int[] shares = batch == 0 ? data.partitionSizes() : shares(data.partitionSizes(), batch);
        Broadcast<byte[]> weights = sc.broadcast(ModelFile.encode(new Model(params, Map.of()), ModelFile.Precision.FLOAT64));
        EngineKind kind = engine;
        int parameters = params.network().parameterCount();
        long id = weights.id();
        try {
            JavaPairRDD<Integer, Partial> partials = data.blocks().mapPartitionsWithIndex((p, blocks) -> {
                Parameters w = ExecutorEngines.weights(id, weights.value());
                GradientSum sum = GradientSum.zeros(parameters);
                while (blocks.hasNext()) {
                    DataSet examples = blocks.next().dataSet();
                    if (examples == null || shares[p] == 0) {
                        continue;
                    }
                    if (batch > 0) {
                        examples = examples.select(sample(examples.size(), shares[p], seed, step, p));
                    }
                    GradientEngine e = ExecutorEngines.engine(kind);
                    try {
                        e.accumulate(w, examples, 0, examples.size(), sum);
                    } finally {
                        ExecutorEngines.release(e);
                    }
                }
                return List.of(new Tuple2<>(p, new Partial(sum))).iterator();
            }, true).mapToPair(t -> t);
            int count = data.partitions();
            for (; count > DRIVER_MERGE; count = (count + 1) / 2) {
                partials = partials.mapToPair(t -> new Tuple2<>(t._1() / 2, t._2()))
                        .reduceByKey(Partial::merge, (count + 1) / 2);
            }
            // The last levels of the same tree on the driver: one stage a step fewer, and the same bits.
            Partial[] level = new Partial[count];
            for (Tuple2<Integer, Partial> t : partials.collect()) {
                level[t._1()] = t._2();
            }
            while (level.length > 1) {
                Partial[] next = new Partial[(level.length + 1) / 2];
                for (int k = 0; k < next.length; k++) {
                    next[k] = 2 * k + 1 < level.length ? level[2 * k].merge(level[2 * k + 1]) : level[2 * k];
                }
                level = next;
            }
            return level[0].toGradientSum();
        } finally {
            weights.destroy();
        }
    }

    /** Each partition's share of a sample of {@code batch}: the differences of ⌊batch · cumulative size / m⌋. */
    static int[] shares(int[] sizes, int batch) {
        long m = 0;
        for (int n : sizes) {
            m += n;
        }
        int[] shares = new int[sizes.length];
        long before = 0;
        for (int p = 0; p < sizes.length; p++) {
            long after = before + sizes[p];
            shares[p] = (int) (batch * after / m - batch * before / m);
            before = after;
        }
        return shares;
    }

    /** {@code k} distinct indices of [0, n), in the order drawn: a partial Fisher–Yates shuffle. */
    static int[] sample(int n, int k, long seed, long step, int partition) {
        SeededRandom random = new SeededRandom(seed ^ (step * 0x9E3779B97F4A7C15L) ^ ((long) partition << 32 | 0x5bd1e995L));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return java.util.Arrays.copyOf(order, k);
    }
}
