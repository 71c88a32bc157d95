package dev.backprop.spark.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.Activation;
import dev.backprop.core.Initializer;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.testing.ReadmeSnippets;
import dev.backprop.core.train.ConfusionMatrix;
import dev.backprop.simd.SimdEngine;
import dev.backprop.spark.SparkDataSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkReadmeExampleTest {

    @Test
    void theExampleTrainsFromParquetAndWritesAModelThePlainLibraryReads(@TempDir Path dir) throws IOException {
        // Two well-separated classes of 12 inputs, 10 labels wide as in the example.
        float[] x = new float[6000 * 12];
        int[] labels = new int[6000];
        for (int i = 0; i < 6000; i++) {
            labels[i] = i % 2 == 0 ? 3 : 7;
            for (int k = 0; k < 12; k++) {
                x[i * 12 + k] = (labels[i] == 3 ? 0f : 1f) + ((i * 31 + k * 17) % 11 - 5) / 50f;
            }
        }
        DataSet data = DataSet.classification(x, 12, labels, 10);
        SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
        SparkDataSet.toRows(spark, data, 2).write().parquet(dir.resolve("train.parquet").toString());
        Network network = Network.builder(12, 8, 10).hiddenActivation(Activation.RELU).softmaxCrossEntropy().build();
        ModelFile.write(dir.resolve("start.nnbp"), new Model(Parameters.initialize(network, Initializer.he(), 1), Map.of()));

        SparkReadmeExample.run(dir);

        Parameters trained = ModelFile.read(dir.resolve("model.nnbp")).parameters();
        try (SimdEngine engine = new SimdEngine()) {
            double accuracy = ConfusionMatrix.evaluate(engine, trained, data).accuracy();
            assertTrue(accuracy > 0.95, "accuracy " + accuracy);
        }
    }

    @Test
    void theReadmeShowsExactlyTheCodeThatIsCompiled() throws IOException {
        ReadmeSnippets.assertPageShows("docs/SPARK.md", "nn-spark/src/test/java/dev/backprop/spark/examples/SparkReadmeExample.java");
    }
}
