package dev.backprop.spark;

import dev.backprop.core.Activation;
import dev.backprop.core.GradientEngine;
import dev.backprop.core.Initializer;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.data.IdxDataSets;
import dev.backprop.parallel.EngineKind;
import dev.backprop.parallel.ParallelEngine;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The figures of the Spark path, all in one JVM run: examples/s of one full-batch gradient of 784-256-128-10
 * (ReLU, softmax with cross-entropy) over the Fashion-MNIST training set, by the parallel engine on 1 and 2
 * threads and by Spark on local[1] and local[2] with either executor engine, in alternating rounds so that a
 * change in the machine's load touches every configuration alike. Spark cannot be driven by JMH's forks in
 * a useful way (a context takes seconds to start and one JVM holds one), hence this harness: warm-up calls,
 * then timed calls, reporting the median and the spread.
 *
 * <pre>NN_SPARK_MAIN=dev.backprop.spark.SparkBench tools/spark-local DIR [rounds] [calls]</pre>
 */
public final class SparkBench {
    private static final int WARMUP = 4;

    private SparkBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        DataSet data = IdxDataSets.read(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"), 10);
        Network network = Network.builder(784, 256, 128, 10).hiddenActivation(Activation.RELU).softmaxCrossEntropy().build();
        Parameters params = Parameters.initialize(network, Initializer.he(), 1);
        String[] names = {"parallel engine, 1 thread", "parallel engine, 2 threads", "Spark local[1], SIMD", "Spark local[2], SIMD",
            "Spark local[2], PARALLEL"};
        double[][] rates = new double[names.length][];
        for (int c = 0; c < names.length; c++) {
            rates[c] = new double[0];
        }
        System.out.printf(Locale.ROOT, "%s, m = %,d, %d rounds × %d calls after %d warm-up calls; %d cores%n", network,
                data.size(), rounds, calls, WARMUP, Runtime.getRuntime().availableProcessors());
        for (int r = 0; r < rounds; r++) {
            rates[0] = append(rates[0], local(() -> new ParallelEngine(1), params, data, calls));
            rates[1] = append(rates[1], local(() -> new ParallelEngine(2), params, data, calls));
            rates[2] = append(rates[2], spark("local[1]", 1, EngineKind.SIMD, params, data, calls));
            rates[3] = append(rates[3], spark("local[2]", 2, EngineKind.SIMD, params, data, calls));
            rates[4] = append(rates[4], spark("local[2]", 2, EngineKind.PARALLEL, params, data, calls));
        }
        System.out.println();
        System.out.println("| configuration | examples/s (median) | min – max | against the parallel engine on as many threads |");
        System.out.println("|---|---:|---:|---:|");
        for (int c = 0; c < names.length; c++) {
            double median = median(rates[c]);
            double base = median(rates[c == 2 ? 0 : 1]);
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f – %,.0f | %s |%n", names[c], median,
                    Arrays.stream(rates[c]).min().orElse(0), Arrays.stream(rates[c]).max().orElse(0),
                    c < 2 ? "" : String.format(Locale.ROOT, "%.2f×", median / base));
        }
    }

    /** Examples/s of each timed call. */
    private static double[] local(Supplier<GradientEngine> engines, Parameters params, DataSet data, int calls) {
        try (GradientEngine engine = engines.get()) {
            return time(() -> engine.accumulate(params, data), data.size(), calls);
        }
    }

    private static double[] spark(String master, int partitions, EngineKind engine, Parameters params, DataSet data,
            int calls) throws java.io.IOException {
        try (SparkSession spark = SparkSession.builder().master(master).appName("nn-spark bench")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            SparkDataSet spread = SparkDataSet.of(sc, data, partitions);
            SparkGradient gradient = new SparkGradient(sc, engine);
            double[] rates = time(() -> gradient.accumulate(params, spread), data.size(), calls);
            spread.unpersist();
            return rates;
        }
    }

    private static double[] time(Runnable call, int examples, int calls) {
        for (int i = 0; i < WARMUP; i++) {
            call.run();
        }
        double[] rates = new double[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            call.run();
            rates[i] = examples / ((System.nanoTime() - start) / 1e9);
        }
        return rates;
    }

    private static double[] append(double[] a, double[] b) {
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
