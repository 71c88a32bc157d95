package dev.backprop.spark;

import dev.backprop.core.Initializer;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.data.IdxDataSets;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.train.ConfusionMatrix;
import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.Trainer;
import dev.backprop.core.train.TrainingListener;
import dev.backprop.parallel.EngineKind;
import dev.backprop.simd.SimdEngine;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The runnable example: trains a classifier on Spark from Parquet files (or from IDX files read on the
 * driver), evaluates it on the test set, and writes an ordinary model file that {@code nn evaluate} and the
 * library read. {@code --to-parquet} converts Fashion-MNIST's IDX files to the Parquet layout it reads.
 * Under {@code spark-submit} the master comes from there; run with plain {@code java} it is {@code --master}.
 */
@Command(name = "nn-spark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a fully connected classifier on Apache Spark.")
public final class SparkTrain implements Callable<Integer> {
    @Option(names = "--train", paramLabel = "PARQUET", description = "Training rows: features (array of float), label (int).")
    private String trainParquet;

    @Option(names = "--test", paramLabel = "PARQUET", description = "Test rows in the same layout, evaluated on the driver.")
    private String testParquet;

    @Option(names = "--idx", paramLabel = "DIR", description = "Read MNIST-layout IDX files (train-images-idx3-ubyte.gz, ...) "
            + "from DIR on the driver instead of Parquet.")
    private Path idx;

    @Option(names = "--to-parquet", paramLabel = "DIR", description = "With --idx: write DIR/train.parquet and DIR/test.parquet and stop.")
    private String toParquet;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of data read with --idx (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(names = "--hidden", defaultValue = "256,128", description = "Hidden layer sizes (default: ${DEFAULT-VALUE}).")
    private String hidden;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--batch", defaultValue = "1024", description = "Examples per step, sampled per partition; 0 for full batch (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--lr", defaultValue = "0.002", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    private double learningRate;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the weights and the samples (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--engine", defaultValue = "PARALLEL", description = "Executor engine: REFERENCE, SIMD or PARALLEL (default: ${DEFAULT-VALUE}).")
    private EngineKind engine;

    @Option(names = "--master", description = "Spark master when not run by spark-submit (default: local[*]).")
    private String master;

    @Option(names = "--out", paramLabel = "MODEL", defaultValue = "model.nnbp", description = "Model file to write (default: ${DEFAULT-VALUE}).")
    private Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkTrain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if ((trainParquet == null) == (idx == null)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "give exactly one of --train PARQUET and --idx DIR");
        }
        SparkConf conf = new SparkConf().setAppName("nn-spark");
        if (!conf.contains("spark.master")) {
            conf.setMaster(master == null ? "local[*]" : master);
        }
        try (SparkSession spark = SparkSession.builder().config(conf).getOrCreate()) {
            spark.sparkContext().setLogLevel("WARN");
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            DataSet localTest = null;
            SparkDataSet train;
            if (idx != null) {
                DataSet localTrain = IdxDataSets.read(idx.resolve("train-images-idx3-ubyte.gz"), idx.resolve("train-labels-idx1-ubyte.gz"), 10);
                localTest = IdxDataSets.read(idx.resolve("t10k-images-idx3-ubyte.gz"), idx.resolve("t10k-labels-idx1-ubyte.gz"), 10);
                if (toParquet != null) {
                    SparkDataSet.toRows(spark, localTrain, partitions).write().mode("overwrite").parquet(toParquet + "/train.parquet");
                    SparkDataSet.toRows(spark, localTest, 1).write().mode("overwrite").parquet(toParquet + "/test.parquet");
                    System.out.println("wrote " + toParquet + "/train.parquet (" + localTrain.size() + " rows) and "
                            + toParquet + "/test.parquet (" + localTest.size() + " rows)");
                    return 0;
                }
                train = SparkDataSet.of(sc, localTrain, partitions);
            } else {
                train = SparkDataSet.fromRows(spark.read().parquet(trainParquet), 10);
                if (testParquet != null) {
                    localTest = SparkDataSet.fromRows(spark.read().parquet(testParquet), 10).collect();
                }
            }
            Network network = network(train.inputSize(), train.targetSize());
            System.out.printf(Locale.ROOT, "data: %,d training examples in %d partitions; master %s, %d cores%n",
                    train.size(), train.partitions(), spark.sparkContext().master(), sc.defaultParallelism());
            System.out.printf(Locale.ROOT, "network: %s, %,d weights; adam lr %s, batch %s, %d epochs, engine %s%n", network,
                    network.parameterCount(), learningRate, batch == 0 ? "full" : Integer.toString(batch), epochs, engine);
            Parameters params = Parameters.initialize(network, Initializer.he(), seed);
            long start = System.nanoTime();
            long[] epochStart = {start};
            Trainer trainer = Trainer.builder().optimizer(Optimizer.adam(learningRate)).batchSize(batch).epochs(epochs)
                    .seed(seed).listener(new TrainingListener() {
                        @Override
                        public void onEpoch(int epoch, double meanLoss, long nanos) {
                            long now = System.nanoTime();
                            System.out.printf(Locale.ROOT, "epoch %2d/%d  %.1f s%n", epoch, epochs, (now - epochStart[0]) / 1e9);
                            epochStart[0] = now;
                        }
                    }).build();
            new SparkTrainer(new SparkGradient(sc, engine), trainer).train(params, train);
            System.out.printf(Locale.ROOT, "trained in %.1f s%n", (System.nanoTime() - start) / 1e9);
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("trainer", "nn-spark");
            provenance.put("data", idx != null ? idx.toString() : trainParquet);
            provenance.put("partitions", Integer.toString(train.partitions()));
            provenance.put("seed", Long.toString(seed));
            ModelFile.write(out, new Model(params, provenance));
            if (localTest != null) {
                try (SimdEngine simd = new SimdEngine()) {
                    System.out.printf(Locale.ROOT, "test accuracy %.4f on %,d examples%n",
                            ConfusionMatrix.evaluate(simd, params, localTest).accuracy(), localTest.size());
                }
            }
            System.out.println("model: " + out);
            train.unpersist();
        }
        return 0;
    }

    private Network network(int inputs, int classes) {
        String[] parts = hidden.isBlank() ? new String[0] : hidden.split(",");
        int[] units = new int[parts.length + 2];
        units[0] = inputs;
        for (int i = 0; i < parts.length; i++) {
            units[i + 1] = Integer.parseInt(parts[i].trim());
        }
        units[units.length - 1] = classes;
        return Network.builder(units).hiddenActivation(dev.backprop.core.Activation.RELU).softmaxCrossEntropy().build();
    }
}
