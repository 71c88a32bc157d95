package dev.backprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.Activation;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Initializer;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.data.IdxDataSets;
import dev.backprop.core.data.IdxFile;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.train.ConfusionMatrix;
import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.Trainer;
import dev.backprop.core.train.TrainingListener;
import dev.backprop.parallel.EngineKind;
import dev.backprop.simd.SimdEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on local[2] with the Fashion-MNIST sample that nn-cli carries (4,000 training and 1,000 test
 * images), against the single-machine trainer with the same seed and the same steps.
 */
class SparkTrainerTest {
    private static final String SAMPLE = "dev/backprop/cli/fashion-mnist-sample/";
    private static final int PARTITIONS = 4;
    private static DataSet train;
    private static DataSet test;

    private final Network network = Network.builder(784, 32, 10).hiddenActivation(Activation.RELU).softmaxCrossEntropy().build();

    @BeforeAll
    static void readSample() throws IOException {
        train = IdxDataSets.of(idx("train-images-idx3-ubyte.gz"), idx("train-labels-idx1-ubyte.gz"), 10);
        test = IdxDataSets.of(idx("t10k-images-idx3-ubyte.gz"), idx("t10k-labels-idx1-ubyte.gz"), 10);
    }

    private static IdxFile idx(String name) throws IOException {
        try (InputStream in = SparkTrainerTest.class.getClassLoader().getResourceAsStream(SAMPLE + name)) {
            return IdxFile.read(Path.of(name), in);
        }
    }

    private Parameters start() {
        return Parameters.initialize(network, Initializer.he(), 1);
    }

    private static double accuracy(Parameters params) {
        try (SimdEngine engine = new SimdEngine()) {
            return ConfusionMatrix.evaluate(engine, params, test).accuracy();
        }
    }

    @Test
    void fullBatchTrainingReachesTheSingleMachineTrainersAccuracy() {
        SparkDataSet spread = SparkDataSet.of(LocalSpark.context(), train, PARTITIONS);
        Parameters onSpark = start();
        new SparkTrainer(new SparkGradient(LocalSpark.context(), EngineKind.PARALLEL), Trainer.builder()
                .optimizer(Optimizer.adam(0.003)).epochs(25).build()).train(onSpark, spread);
        Parameters alone = start();
        try (SimdEngine engine = new SimdEngine()) {
            Trainer.builder(engine).optimizer(Optimizer.adam(0.003)).fullBatch().epochs(25).build().train(alone, train);
        }
        double sparkAccuracy = accuracy(onSpark);
        double aloneAccuracy = accuracy(alone);
        assertTrue(sparkAccuracy > 0.65, "accuracy " + sparkAccuracy);
        assertEquals(aloneAccuracy, sparkAccuracy, 0.005, "Spark against the single-machine trainer");
        spread.unpersist();
    }

    @Test
    void miniBatchTrainingRepeatsBitForBitAndMatchesTheSameStepsOnOneMachine() {
        SparkDataSet spread = SparkDataSet.of(LocalSpark.context(), train, PARTITIONS);
        SparkGradient gradient = new SparkGradient(LocalSpark.context(), EngineKind.SIMD);
        Parameters first = start();
        Trainer.TrainingSummary result = new SparkTrainer(gradient, Trainer.builder().optimizer(Optimizer.adam(0.002)).batchSize(256)
                .epochs(2).seed(9).build()).train(first, spread);
        assertEquals(2 * 16, result.steps());
        Parameters second = start();
        new SparkTrainer(gradient, Trainer.builder().optimizer(Optimizer.adam(0.002)).batchSize(256).epochs(2).seed(9).build())
                .train(second, spread);
        assertEquals(first, second, "two runs with the same seed and partitioning");

        // The same steps on one machine: the same samples, the SIMD engine, the same optimizer.
        Parameters alone = start();
        Optimizer adam = Optimizer.adam(0.002);
        double[] d = new double[network.parameterCount()];
        try (SimdEngine engine = new SimdEngine()) {
            for (long step = 0; step < result.steps(); step++) {
                int[] indices = SparkGradientTest.sampledIndices(spread.partitionSizes(), 256, 9, step);
                GradientSum sum = engine.accumulate(alone, train.select(indices));
                sum.gradientInto(d);
                adam.update(alone.values(), d);
            }
        }
        double sparkAccuracy = accuracy(first);
        assertTrue(sparkAccuracy > 0.7, "accuracy " + sparkAccuracy);
        assertEquals(accuracy(alone), sparkAccuracy, 0.005);
        spread.unpersist();
    }

    @Test
    void aSparkRunStoppedAndResumedWithL2EndsWithTheBitsOfOneThatNeverStopped() {
        SparkDataSet spread = SparkDataSet.of(LocalSpark.context(), train.select(range(1000)), 3);
        SparkGradient gradient = new SparkGradient(LocalSpark.context(), EngineKind.SIMD);
        Parameters whole = start();
        new SparkTrainer(gradient, Trainer.builder().optimizer(Optimizer.adam(0.002)).batchSize(200).epochs(2).seed(5).l2(1e-3)
                .build()).train(whole, spread);

        Optimizer first = Optimizer.adam(0.002);
        List<Long> steps = new ArrayList<>();
        Trainer[] trainer = new Trainer[1];
        trainer[0] = Trainer.builder().optimizer(first).batchSize(200).epochs(2).seed(5).l2(1e-3)
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(int epoch, long step, int examples, double loss) {
                        steps.add(step);
                        if (step == 7) {
                            trainer[0].requestStop();
                        }
                    }
                }).build();
        Parameters parts = start();
        Trainer.TrainingSummary stopped = new SparkTrainer(gradient, trainer[0]).train(parts, spread);
        assertTrue(stopped.stopped());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), steps);
        assertEquals(2, stopped.next().epoch());
        assertEquals(2, stopped.next().batch());
        Optimizer second = Optimizer.adam(0.002);
        second.restore(first.steps(), first.state());
        Trainer.TrainingSummary rest = new SparkTrainer(gradient, Trainer.builder().optimizer(second).batchSize(200).epochs(2)
                .seed(5).l2(1e-3).build()).train(parts, spread, stopped.next());
        assertEquals(10, rest.steps());
        assertEquals(whole, parts, "the resumed Spark run must end with the same bits");

        Parameters withoutL2 = start();
        new SparkTrainer(gradient, Trainer.builder().optimizer(Optimizer.adam(0.002)).batchSize(200).epochs(2).seed(5).build())
                .train(withoutL2, spread);
        assertNotEquals(whole, withoutL2, "L2 must change the steps");
        spread.unpersist();
    }

    private static int[] range(int n) {
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i;
        }
        return indices;
    }

    @Test
    void modelsMoveBetweenSparkAndThePlainLibrary(@TempDir Path dir) throws IOException {
        SparkDataSet spread = SparkDataSet.of(LocalSpark.context(), train, 2);
        SparkGradient gradient = new SparkGradient(LocalSpark.context(), EngineKind.SIMD);
        // Trained on one machine, saved, loaded and trained further on Spark ...
        Parameters params = start();
        try (SimdEngine engine = new SimdEngine()) {
            Trainer.builder(engine).optimizer(Optimizer.adam(0.003)).fullBatch().epochs(3).build().train(params, train);
        }
        Path plain = dir.resolve("plain.nnbp");
        ModelFile.write(plain, new Model(params, Map.of("trained", "plain")));
        Parameters loaded = ModelFile.read(plain).parameters();
        assertEquals(params, loaded);
        new SparkTrainer(gradient, Trainer.builder().optimizer(Optimizer.adam(0.003)).epochs(3).build()).train(loaded, spread);
        // ... saved by the Spark side and read back by the plain library, which predicts with it.
        Path fromSpark = dir.resolve("spark.nnbp");
        ModelFile.write(fromSpark, new Model(loaded, Map.of("trained", "spark")));
        Model read = ModelFile.read(fromSpark);
        assertEquals(loaded, read.parameters());
        assertEquals(accuracy(loaded), accuracy(read.parameters()), 0.0);
        spread.unpersist();
    }
}
