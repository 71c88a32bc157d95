package dev.backprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.core.Activation;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.testing.RandomProblems;
import dev.backprop.parallel.EngineKind;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark gradient against the single-machine reference engine, on local[2]. */
class SparkGradientTest {
    private static final double GRADIENT_TOLERANCE = 1e-4;
    private static final double LOSS_TOLERANCE = 1e-5;

    private final ReferenceEngine reference = new ReferenceEngine();

    @Test
    void theGradientEqualsTheSingleMachineEnginesAndRepeatsBitForBit() {
        Object[][] cases = {
            {new int[] {7, 5, 3}, Activation.SIGMOID, Activation.SIGMOID, true, 203, 3},
            {new int[] {12, 9, 6, 4}, Activation.RELU, Activation.SOFTMAX, true, 150, 5},
            {new int[] {3, 3, 1}, Activation.TANH, Activation.IDENTITY, false, 17, 2},
            {new int[] {33, 17, 5}, Activation.RELU, Activation.SOFTMAX, false, 785, 4},
            {new int[] {4, 2}, Activation.SIGMOID, Activation.SIGMOID, true, 1, 1},
        };
        for (Object[] c : cases) {
            Network network = RandomProblems.network((int[]) c[0], (Activation) c[1], (Activation) c[2], (boolean) c[3]);
            Parameters params = RandomProblems.parameters(network, 0.5, 7);
            DataSet data = RandomProblems.data(network, (int) c[4], 8, false);
            GradientSum expected = reference.accumulate(params, data);
            SparkDataSet spread = SparkDataSet.of(LocalSpark.context(), data, (int) c[5]);
            for (EngineKind engine : EngineKind.values()) {
                SparkGradient gradient = new SparkGradient(LocalSpark.context(), engine);
                GradientSum first = gradient.accumulate(params, spread);
                String what = engine + " on " + network + ", m = " + data.size() + ", " + c[5] + " partitions";
                RandomProblems.assertGradientsClose(expected, first, GRADIENT_TOLERANCE, LOSS_TOLERANCE, what);
                GradientSum again = gradient.accumulate(params, spread);
                assertArrayEquals(first.deltaSum(), again.deltaSum(), 0.0, what);
                assertEquals(Double.doubleToRawLongBits(first.lossSum()), Double.doubleToRawLongBits(again.lossSum()), what);
            }
            spread.unpersist();
        }
    }

    @Test
    void aSampleIsTheSingleMachineGradientOfTheSameExamples() {
        Network network = RandomProblems.network(new int[] {10, 8, 4}, Activation.RELU, Activation.SOFTMAX, true);
        Parameters params = RandomProblems.parameters(network, 0.5, 3);
        DataSet data = RandomProblems.data(network, 301, 4, false);
        SparkDataSet spread = SparkDataSet.of(LocalSpark.context(), data, 3);
        SparkGradient gradient = new SparkGradient(LocalSpark.context(), EngineKind.SIMD);
        int batch = 64;
        for (long step = 0; step < 3; step++) {
            GradientSum sample = gradient.accumulateSample(params, spread, batch, 42, step);
            assertEquals(batch, sample.count());
            GradientSum expected = reference.accumulate(params, data.select(sampledIndices(spread.partitionSizes(), batch, 42, step)));
            RandomProblems.assertGradientsClose(expected, sample, GRADIENT_TOLERANCE, LOSS_TOLERANCE, "step " + step);
            assertArrayEquals(sample.deltaSum(), gradient.accumulateSample(params, spread, batch, 42, step).deltaSum(), 0.0);
        }
        assertEquals(Arrays.toString(new int[] {21, 21, 22}), Arrays.toString(SparkGradient.shares(spread.partitionSizes(), batch)));
        spread.unpersist();
    }

    /** The examples a sample takes, as indices of the whole set: partition p holds a contiguous range. */
    static int[] sampledIndices(int[] sizes, int batch, long seed, long step) {
        int[] shares = SparkGradient.shares(sizes, batch);
        int[] all = new int[batch];
        int filled = 0;
        int start = 0;
        for (int p = 0; p < sizes.length; p++) {
            for (int i : SparkGradient.sample(sizes[p], shares[p], seed, step, p)) {
                all[filled++] = start + i;
            }
            start += sizes[p];
        }
        return all;
    }

    @Test
    void anotherPartitioningChangesTheBitsOnlyWithinRounding() {
        Network network = RandomProblems.network(new int[] {20, 10, 3}, Activation.TANH, Activation.SOFTMAX, true);
        Parameters params = RandomProblems.parameters(network, 0.5, 5);
        DataSet data = RandomProblems.data(network, 500, 6, false);
        GradientSum expected = reference.accumulate(params, data);
        SparkGradient gradient = new SparkGradient(LocalSpark.context(), EngineKind.PARALLEL);
        // 37 partitions: two levels of the tree in shuffles (37 → 19 → 10), the rest on the driver.
        for (int partitions : new int[] {1, 2, 6, 7, 37}) {
            SparkDataSet spread = SparkDataSet.of(LocalSpark.context(), data, partitions);
            GradientSum sum = gradient.accumulate(params, spread);
            RandomProblems.assertGradientsClose(expected, sum, GRADIENT_TOLERANCE, LOSS_TOLERANCE, partitions + " partitions");
            assertArrayEquals(sum.deltaSum(), gradient.accumulate(params, spread).deltaSum(), 0.0, partitions + " partitions again");
            spread.unpersist();
        }
    }

    @Test
    void rowsReadBackFromParquetGiveTheSameGradient(@TempDir Path dir) {
        Network network = RandomProblems.network(new int[] {6, 5, 3}, Activation.RELU, Activation.SOFTMAX, true);
        Parameters params = RandomProblems.parameters(network, 0.5, 9);
        float[] x = new float[120 * 6];
        int[] labels = new int[120];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 37 % 101) / 101f;
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i * 7 % 3;
        }
        DataSet data = DataSet.classification(x, 6, labels, 3);
        String parquet = dir.resolve("train.parquet").toString();
        SparkDataSet.toRows(LocalSpark.session(), data, 3).write().parquet(parquet);
        Dataset<Row> rows = LocalSpark.session().read().parquet(parquet);
        SparkDataSet read = SparkDataSet.fromRows(rows, 3);
        assertEquals(120, read.size());
        assertEquals(6, read.inputSize());
        GradientSum fromParquet = new SparkGradient(LocalSpark.context(), EngineKind.SIMD).accumulate(params, read);
        RandomProblems.assertGradientsClose(reference.accumulate(params, data), fromParquet, GRADIENT_TOLERANCE,
                LOSS_TOLERANCE, "from Parquet");
        read.unpersist();
    }

    @Test
    void badRowsAndMismatchedNetworksAreRefusedWithWhatIsWrong() {
        Dataset<Row> rows = LocalSpark.session().sql("SELECT array(0.5F, 0.25F) AS features, 7 AS label");
        Exception e = assertThrows(Exception.class, () -> SparkDataSet.fromRows(rows, 3));
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
            cause = cause.getCause();
        }
        assertEquals("partition 0, row 0: label 7 is outside the 3 classes 0..2", cause.getMessage());
        Network network = Network.builder(3, 2).build();
        SparkDataSet spread = SparkDataSet.of(LocalSpark.context(), RandomProblems.data(Network.builder(4, 2).build(), 10, 1, false), 2);
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> new SparkGradient(LocalSpark.context(), EngineKind.SIMD)
                        .accumulate(RandomProblems.parameters(network, 1, 1), spread));
        assertEquals("the data has 4 inputs and 2 targets, but the network " + network + " has 3 and 2", mismatch.getMessage());
        spread.unpersist();
    }
}
