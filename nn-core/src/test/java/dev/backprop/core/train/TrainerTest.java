package dev.backprop.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.Activation;
import dev.backprop.core.Initializer;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.testing.RandomProblems;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {
    private static final DataSet XOR = DataSet.ofDoubles(
            new double[] {0, 0, 0, 1, 1, 0, 1, 1}, 2, new double[] {0, 1, 1, 0}, 1);

    @Test
    void aGradientDescentStepLowersTheCost() {
        Network n = RandomProblems.network(new int[] {4, 5, 2}, Activation.SIGMOID, Activation.SIGMOID, true);
        Parameters p = RandomProblems.parameters(n, 0.5, 2);
        DataSet data = RandomProblems.data(n, 20, 3, true);
        ReferenceEngine engine = new ReferenceEngine();
        double before = engine.accumulate(p, data).loss();
        Trainer.builder(engine).optimizer(Optimizer.sgd(0.5)).fullBatch().epochs(1).build().train(p, data);
        double after = engine.accumulate(p, data).loss();
        assertTrue(after < before, "J went from " + before + " to " + after);
    }

    @Test
    void twoThreeOneSigmoidNetworkLearnsXorFromAFixedSeed() {
        Network n = Network.of(2, 3, 1);
        Parameters p = Parameters.initialize(n, Initializer.uniform(1.0), 2024);
        ReferenceEngine engine = new ReferenceEngine();
        List<Double> epochLosses = new ArrayList<>();
        Trainer trainer = Trainer.builder(engine).optimizer(Optimizer.momentum(0.5, 0.9)).fullBatch().epochs(3000)
                .listener(new TrainingListener() {
                    @Override
                    public void onEpoch(int epoch, double meanLoss, long nanos) {
                        epochLosses.add(meanLoss);
                    }
                })
                .build();
        Trainer.TrainingSummary summary = trainer.train(p, XOR);
        assertEquals(3000, summary.steps());
        assertEquals(3000, epochLosses.size());
        double[] out = new double[4];
        engine.predict(p, XOR, 0, 4, out);
        assertTrue(out[0] < 0.1 && out[1] > 0.9 && out[2] > 0.9 && out[3] < 0.1,
                () -> "XOR outputs " + java.util.Arrays.toString(out));
        assertTrue(epochLosses.get(2999) < 0.01 * epochLosses.get(0));
    }

    @Test
    void miniBatchTrainingIsReproducibleFromItsSeed() {
        Network n = RandomProblems.network(new int[] {6, 5, 3}, Activation.TANH, Activation.SOFTMAX, true);
        DataSet data = RandomProblems.data(n, 37, 4, false);
        Parameters a = RandomProblems.parameters(n, 0.3, 1);
        Parameters b = a.copy();
        Parameters c = a.copy();
        train(a, data, 7);
        train(b, data, 7);
        train(c, data, 8);
        assertEquals(a, b, "the same seed must give the same bits");
        assertNotEquals(a, c, "another seed shuffles differently");
    }

    private static void train(Parameters p, DataSet data, long seed) {
        Trainer.builder(new ReferenceEngine()).optimizer(Optimizer.adam(0.01)).batchSize(8).epochs(3).seed(seed)
                .l2(1e-3).build().train(p, data);
    }

    @Test
    void aBatchAsLargeAsTheDataIsFullBatchDescent() {
        Network n = Network.of(3, 4, 2);
        DataSet data = RandomProblems.data(n, 10, 1, true);
        Parameters a = RandomProblems.parameters(n, 0.5, 3);
        Parameters b = a.copy();
        Trainer.builder(new ReferenceEngine()).batchSize(10).epochs(4).build().train(a, data);
        Trainer.builder(new ReferenceEngine()).fullBatch().epochs(4).build().train(b, data);
        assertEquals(a, b);
    }

    @Test
    void listenerSeesEveryStepWithItsBatchSize() {
        Network n = Network.of(3, 2);
        DataSet data = RandomProblems.data(n, 10, 1, true);
        List<Integer> sizes = new ArrayList<>();
        Trainer.builder(new ReferenceEngine()).batchSize(4).epochs(2).listener(new TrainingListener() {
            @Override
            public void onStep(int epoch, long step, int examples, double loss) {
                sizes.add(examples);
            }
        }).build().train(RandomProblems.parameters(n, 0.5, 1), data);
        assertEquals(List.of(4, 4, 2, 4, 4, 2), sizes);
    }

    @Test
    void divergenceStopsWithAMessageAndKeepsTheLastGoodWeights() {
        Network n = Network.builder(2, 3, 1).activation(Activation.IDENTITY).build();
        DataSet data = DataSet.ofDoubles(new double[] {100, -100, 50, 80}, 2, new double[] {1, -1}, 1);
        Parameters p = RandomProblems.parameters(n, 0.5, 1);
        List<Parameters> seen = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Trainer.builder(new ReferenceEngine())
                .optimizer(Optimizer.sgd(10)).epochs(100).listener(new TrainingListener() {
                    @Override
                    public void onStep(int epoch, long step, int examples, double loss) {
                        seen.add(p.copy());
                    }
                }).build().train(p, data));
        assertTrue(e.getMessage().startsWith("the cost became Infinity at epoch ")
                || e.getMessage().startsWith("the cost became NaN at epoch "), e.getMessage());
        assertTrue(e.getMessage().endsWith("with learning rate 10.0; lower the learning rate or scale the inputs."
                + " The weights are those before this step."), e.getMessage());
        assertEquals(seen.get(seen.size() - 1), p);
        for (double w : p.values()) {
            assertTrue(Double.isFinite(w));
        }
    }
}
