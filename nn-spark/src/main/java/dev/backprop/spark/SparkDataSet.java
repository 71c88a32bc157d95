package dev.backprop.spark;

import dev.backprop.core.data.DataSet;
import dev.backprop.core.train.ConfusionMatrix;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * A data set spread over a Spark cluster: one packed block of float32 examples per partition, cached in
 * executor memory. The partitioning is fixed when the set is made, and it decides the bits of every gradient
 * (each partition is one partial sum), so the same set gives the same gradients on every run.
 */
public final class SparkDataSet {
    /** The column of the inputs: an array of floats or doubles. */
    public static final String FEATURES = "features";
    /** The column of the class label, an integer in [0, classes). */
    public static final String LABEL = "label";

    private final JavaRDD<Block> blocks;
    private final List<Broadcast<Block>> sources;
    private final int[] partitionSizes;
    private final int size;
    private final int inputs;
    private final int targets;

    private SparkDataSet(JavaRDD<Block> blocks, List<Broadcast<Block>> sources, int[] partitionSizes, int inputs, int targets) {
        this.blocks = blocks;
        this.sources = sources;
        this.partitionSizes = partitionSizes;
        int total = 0;
        for (int n : partitionSizes) {
            total += n;
        }
        this.size = total;
        this.inputs = inputs;
        this.targets = targets;
    }

    /**
     * Spreads an in-memory data set over {@code partitions} partitions of contiguous examples (partition p
     * holds examples [p·m/P, (p+1)·m/P)).
     */
    public static SparkDataSet of(JavaSparkContext sc, DataSet data, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be 1 or more, got " + partitions);
        }
        int m = data.size();
        List<Broadcast<Block>> sources = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int from = (int) ((long) p * m / partitions);
            int to = (int) ((long) (p + 1) * m / partitions);
            float[] x = new float[(to - from) * data.inputSize()];
            float[] y = new float[(to - from) * data.targetSize()];
            data.readInputs(from, to, x, 0);
            data.readTargets(from, to, y, 0);
            sources.add(sc.broadcast(new Block(to - from, data.inputSize(), data.targetSize(), x, y)));
            indices.add(p);
        }
        // Each partition's examples travel as a broadcast of their own, not in the partition: a parallelized
        // collection's partitions carry its data, and every task of every step would ship it again. Unlike a
        // checkpoint in executor storage, the broadcasts stay on the driver, so a partition cached on an executor
        // that dies is made again on another one from its broadcast, and training goes on.
        JavaRDD<Block> blocks = sc.parallelize(indices, partitions).map(p -> sources.get(p).value());
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
        return cache(blocks, sources, data.inputSize(), data.targetSize());
    }

    /**
     * A classification set from rows with a {@link #FEATURES} column (array of floats or doubles, the same
     * length in every row) and a {@link #LABEL} column (integer in [0, classes)), as read from Parquet, say.
     * The rows keep their partitioning.
     *
     * @throws IllegalArgumentException naming the partition and row of the first bad row
     */
    public static SparkDataSet fromRows(Dataset<Row> rows, int classes) {
        JavaRDD<Block> blocks = rows.select(FEATURES, LABEL).toJavaRDD()
                .mapPartitionsWithIndex((index, it) -> List.of(pack(index, it, classes)).iterator(), true);
        List<int[]> shapes = blocks.map(b -> new int[] {b.size, b.inputs}).collect();
        int inputs = 0;
        for (int[] s : shapes) {
            if (s[0] > 0 && inputs != 0 && s[1] != inputs) {
                throw new IllegalArgumentException("rows have " + inputs + " and " + s[1] + " features in different partitions");
            }
            inputs = s[0] > 0 ? s[1] : inputs;
        }
        if (inputs == 0) {
            throw new IllegalArgumentException("the rows hold no examples");
        }
        return cache(blocks, List.of(), inputs, classes);
    }

    private static Block pack(int partition, Iterator<Row> rows, int classes) {
        List<float[]> x = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int width = -1;
        for (int r = 0; rows.hasNext(); r++) {
            Row row = rows.next();
            List<Object> values = row.getList(0);
            if (width >= 0 && values.size() != width) {
                throw new IllegalArgumentException("partition " + partition + ", row " + r + ": " + values.size()
                        + " features where the rows before have " + width);
            }
            width = values.size();
            float[] f = new float[width];
            for (int k = 0; k < width; k++) {
                f[k] = ((Number) values.get(k)).floatValue();
            }
            int label = ((Number) row.get(1)).intValue();
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("partition " + partition + ", row " + r + ": label " + label
                        + " is outside the " + classes + " classes 0.." + (classes - 1));
            }
            x.add(f);
            labels.add(label);
        }
        int n = x.size();
        float[] inputs = new float[n * Math.max(width, 0)];
        float[] targets = new float[n * classes];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x.get(i), 0, inputs, i * width, width);
            targets[i * classes + labels.get(i)] = 1f;
        }
        return new Block(n, Math.max(width, 0), classes, inputs, targets);
    }

    private static SparkDataSet cache(JavaRDD<Block> blocks, List<Broadcast<Block>> sources, int inputs, int targets) {
        JavaRDD<Block> cached = blocks.getStorageLevel().useMemory() ? blocks : blocks.persist(StorageLevel.MEMORY_AND_DISK());
        List<Integer> sizes = cached.map(b -> b.size).collect(); // in partition order; also fills the cache
        int[] partitionSizes = sizes.stream().mapToInt(Integer::intValue).toArray();
        return new SparkDataSet(cached, sources, partitionSizes, inputs, targets);
    }

    /**
     * Rows of {@code data}, a classification set, in the layout {@link #fromRows} reads: for writing it to
     * Parquet, as the README's example does with Fashion-MNIST's IDX files.
     */
    public static Dataset<Row> toRows(SparkSession spark, DataSet data, int partitions) {
        StructType schema = new StructType()
                .add(FEATURES, DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add(LABEL, DataTypes.IntegerType, false);
        List<Row> rows = new ArrayList<>(data.size());
        float[] x = new float[data.inputSize()];
        for (int i = 0; i < data.size(); i++) {
            data.readInputs(i, i + 1, x, 0);
            Float[] boxed = new Float[x.length];
            for (int k = 0; k < x.length; k++) {
                boxed[k] = x[k];
            }
            rows.add(RowFactory.create(boxed, data.label(i)));
        }
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    /** Every example, gathered on the driver as a classification set (for a test set, say). */
    public DataSet collect() {
        List<Block> all = blocks.collect();
        float[] x = new float[size * inputs];
        int[] labels = new int[size];
        int at = 0;
        for (Block b : all) {
            DataSet part = b.dataSet();
            if (part == null) {
                continue;
            }
            part.readInputs(0, b.size, x, at * inputs);
            double[] y = new double[targets];
            for (int i = 0; i < b.size; i++) {
                part.readTargets(i, y, 0);
                labels[at + i] = ConfusionMatrix.argMax(y, 0, targets); // the one-hot target's class
            }
            at += b.size;
        }
        return DataSet.classification(x, inputs, labels, targets);
    }

    JavaRDD<Block> blocks() {
        return blocks;
    }

    /** The number of examples in each partition, in partition order. */
    public int[] partitionSizes() {
        return partitionSizes.clone();
    }

    /** m, the number of examples. */
    public int size() {
        return size;
    }

    /** The number of partitions, each one partial sum per gradient. */
    public int partitions() {
        return partitionSizes.length;
    }

    /** Inputs per example. */
    public int inputSize() {
        return inputs;
    }

    /** Targets per example (the classes, one-hot). */
    public int targetSize() {
        return targets;
    }

    /** Drops the cached blocks from the executors, and the examples that a set made on the driver keeps there. */
    public void unpersist() {
        blocks.unpersist(false);
        sources.forEach(Broadcast::destroy);
    }
}
