package dev.backprop.spark.examples;

import dev.backprop.core.Parameters;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.Trainer;
import dev.backprop.parallel.EngineKind;
import dev.backprop.spark.SparkDataSet;
import dev.backprop.spark.SparkGradient;
import dev.backprop.spark.SparkTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** The Spark example of the README, compiled and run by the build (see SparkReadmeExampleTest). */
public final class SparkReadmeExample {
    private SparkReadmeExample() {
    }

    /** Trains on {@code dir}/train.parquet from {@code dir}/start.nnbp and writes {@code dir}/model.nnbp. */
    public static void run(Path dir) throws IOException {
        // README:begin
        SparkSession spark = SparkSession.builder().getOrCreate(); // the master comes from spark-submit
        // Rows with a "features" column (array of floats) and a "label" column (int), here from Parquet.
        SparkDataSet train = SparkDataSet.fromRows(spark.read().parquet(dir.resolve("train.parquet").toString()), 10);
        Parameters params = ModelFile.read(dir.resolve("start.nnbp")).parameters(); // or Parameters.initialize(...)
        SparkGradient gradient = new SparkGradient(JavaSparkContext.fromSparkContext(spark.sparkContext()),
                EngineKind.PARALLEL);
        Trainer trainer = Trainer.builder().optimizer(Optimizer.adam(0.002)).batchSize(256).epochs(5).seed(1).build();
        new SparkTrainer(gradient, trainer).train(params, train); // batchSize(0): full-batch gradient descent
        ModelFile.write(dir.resolve("model.nnbp"), new Model(params, Map.of("trainer", "nn-spark")));
        // README:end
        train.unpersist();
    }
}
