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

    @Test
    void aRunStoppedMidEpochAndResumedEndsWithTheSameBits() {
        Network n = RandomProblems.network(new int[] {5, 6, 3}, Activation.TANH, Activation.SOFTMAX, true);
        DataSet data = RandomProblems.data(n, 45, 9, false);
        Parameters whole = RandomProblems.parameters(n, 0.3, 4);
        Parameters parts = whole.copy();
        LearningRateSchedule schedule = LearningRateSchedule.cosine(0.1);
        for (String kind : List.of("sgd", "momentum", "adam")) {
            Trainer.builder(new ReferenceEngine()).optimizer(optimizer(kind)).batchSize(8).epochs(4).seed(11)
                    .schedule(schedule).l2(1e-3).build().train(whole, data);

            // Stop in the middle of epoch 2 (step 9 of 6 per epoch), then go on with a new optimizer and trainer
            // rebuilt from what a checkpoint holds.
            Optimizer first = optimizer(kind);
            Trainer[] trainer = new Trainer[1];
            trainer[0] = Trainer.builder(new ReferenceEngine()).optimizer(first).batchSize(8).epochs(4).seed(11)
                    .schedule(schedule).l2(1e-3).listener(new TrainingListener() {
                        @Override
                        public void onStep(int epoch, long step, int examples, double loss) {
                            if (step == 9) {
                                trainer[0].requestStop();
                            }
                        }
                    }).build();
            Trainer.TrainingSummary stopped = trainer[0].train(parts, data);
            assertTrue(stopped.stopped());
            assertEquals(new TrainingPosition(2, 3, 9, stopped.next().epochLossSum(), stopped.next().shuffleState()),
                    stopped.next());
            Optimizer second = optimizer(kind);
            second.restore(first.steps(), first.state());
            Trainer.TrainingSummary rest = Trainer.builder(new ReferenceEngine()).optimizer(second).batchSize(8)
                    .epochs(4).seed(11).schedule(schedule).l2(1e-3).build().train(parts, data, stopped.next());
            assertEquals(false, rest.stopped());
            assertEquals(24, rest.steps());
            assertEquals(whole, parts, kind + ": the resumed run must end with the same bits");
        }
    }

    @Test
    void aSourceThatPicksItsOwnExamplesGetsTheStepNumberAndNoOrder() {
        Network n = RandomProblems.network(new int[] {3, 4, 2}, Activation.SIGMOID, Activation.SIGMOID, true);
        DataSet data = RandomProblems.data(n, 12, 6, true);
        ReferenceEngine engine = new ReferenceEngine();
        List<Long> steps = new ArrayList<>();
        // Step s adds up the examples [s mod 3 · 4, s mod 3 · 4 + 4): a source that ignores the trainer's order.
        StepGradient rotating = new StepGradient() {
            @Override
            public int size() {
                return data.size();
            }

            @Override
            public boolean ordered() {
                return false;
            }

            @Override
            public void compute(Parameters params, int[] order, int from, int to, long step, dev.backprop.core.GradientSum sum) {
                assertEquals(null, order);
                steps.add(step);
                int lo = (int) (step % 3) * 4;
                engine.compute(params, data, lo, lo + 4, sum);
            }
        };
        Parameters viaSource = RandomProblems.parameters(n, 0.5, 3);
        Parameters byHand = viaSource.copy();
        Trainer.builder().optimizer(Optimizer.sgd(0.3)).batchSize(4).epochs(2).l2(1e-2).build().train(viaSource, rotating);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), steps);

        Optimizer sgd = Optimizer.sgd(0.3);
        double[] d = new double[n.parameterCount()];
        for (int step = 0; step < 6; step++) {
            int lo = (step % 3) * 4;
            dev.backprop.core.GradientSum sum = dev.backprop.core.GradientSum.zeros(n);
            engine.accumulate(byHand, data, lo, lo + 4, sum);
            sum.gradientInto(d);
            Trainer.addL2(n, byHand.values(), d, 1e-2);
            sgd.update(byHand.values(), d);
        }
        assertEquals(byHand, viaSource, "the trainer's step over a source: D = Δ/m, + λW, the update");
    }

    @Test
    void aTrainerWithoutAnEngineSaysSoWhenGivenADataSet() {
        Network n = Network.of(2, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Trainer.builder().build().train(RandomProblems.parameters(n, 0.5, 1), XOR));
        assertEquals("this trainer was built without an engine; train it on a StepGradient", e.getMessage());
    }

    @Test
    void theEpochEndPositionResumesTheNextEpoch() {
        Network n = Network.of(3, 4, 2);
        DataSet data = RandomProblems.data(n, 20, 2, true);
        Parameters whole = RandomProblems.parameters(n, 0.5, 5);
        Parameters parts = whole.copy();
        Trainer.builder(new ReferenceEngine()).optimizer(Optimizer.adam(0.01)).batchSize(6).epochs(3).seed(2)
                .build().train(whole, data);
        Optimizer first = Optimizer.adam(0.01);
        List<TrainingPosition> ends = new ArrayList<>();
        List<Parameters> weights = new ArrayList<>();
        List<List<double[]>> states = new ArrayList<>();
        Trainer.builder(new ReferenceEngine()).optimizer(first).batchSize(6).epochs(1).seed(2)
                .listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(TrainingPosition next) {
                        ends.add(next);
                        weights.add(parts.copy());
                        states.add(List.of(first.state().get(0).clone(), first.state().get(1).clone()));
                    }
                }).build().train(parts, data);
        assertEquals(1, ends.size());
        assertEquals(2, ends.get(0).epoch());
        assertTrue(ends.get(0).atEpochStart());
        Optimizer second = Optimizer.adam(0.01);
        second.restore(ends.get(0).steps(), states.get(0));
        Parameters resumed = weights.get(0);
        Trainer.builder(new ReferenceEngine()).optimizer(second).batchSize(6).epochs(3).seed(2).build()
                .train(resumed, data, ends.get(0));
        assertEquals(whole, resumed);
    }

    @Test
    void aStepScheduleSetsTheRateOfEachEpoch() {
        Network n = Network.of(3, 2);
        DataSet data = RandomProblems.data(n, 4, 1, true);
        Optimizer sgd = Optimizer.sgd(0.8);
        List<Double> rates = new ArrayList<>();
        Trainer.builder(new ReferenceEngine()).optimizer(sgd).epochs(5).schedule(LearningRateSchedule.parse("step:2:0.5"))
                .listener(new TrainingListener() {
                    @Override
                    public void onEpoch(int epoch, double meanLoss, long nanos) {
                        rates.add(sgd.learningRate());
                    }
                }).build().train(RandomProblems.parameters(n, 0.5, 1), data);
        assertEquals(List.of(0.8, 0.8, 0.4, 0.4, 0.2), rates);
    }

    @Test
    void schedulesParseTheirCommandLineFormsAndNameWhatIsWrong() {
        assertEquals(1.0, LearningRateSchedule.parse("constant").factor(7, 10));
        assertEquals(1.0, LearningRateSchedule.parse("cosine").factor(1, 10));
        assertEquals(0.01, LearningRateSchedule.parse("cosine").factor(10, 10), 1e-15);
        assertEquals(0.5 * (1 + 0.2), LearningRateSchedule.parse("cosine:0.2").factor(2, 3), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.parse("linear"));
        assertEquals("unknown schedule 'linear'; expected constant, step:EVERY:GAMMA (say step:10:0.5) or cosine[:FLOOR]",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("step:0:0.5"));
        assertEquals("the step schedule needs a period of at least 1 epoch, got 0", e.getMessage());
    }

    @Test
    void restoringAStateOfTheWrongShapeIsRefused() {
        Optimizer adam = Optimizer.adam(0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adam.restore(3, List.of(new double[2])));
        assertEquals("adam(lr=0.1, beta1=0.9, beta2=0.999, eps=1.0E-8) after 3 steps has 2 state arrays, got 1",
                e.getMessage());
        adam.restore(3, List.of(new double[2], new double[2]));
        e = assertThrows(IllegalArgumentException.class, () -> adam.update(new double[3], new double[3]));
        assertEquals("the optimizer state was restored for 2 weights, but the network has 3", e.getMessage());
    }

    private static Optimizer optimizer(String kind) {
        return switch (kind) {
            case "sgd" -> Optimizer.sgd(0.3);
            case "momentum" -> Optimizer.momentum(0.1, 0.9);
            default -> Optimizer.adam(0.02);
        };
    }
}
