package dev.backprop.spark;

import dev.backprop.core.GradientSum;
import dev.backprop.core.Parameters;
import dev.backprop.core.train.StepGradient;
import dev.backprop.core.train.Trainer;
import dev.backprop.core.train.Trainer.TrainingSummary;
import dev.backprop.core.train.TrainingPosition;

/**
 * Gradient descent on a {@link SparkDataSet}: nn-core's {@link Trainer}, configured as for one machine (the
 * optimizer, schedule, epochs, batch size, seed, L2, listeners), with each step's Δ from one
 * {@link SparkGradient}: the whole set, or a sample of the batch size drawn per partition. D = Δ/m, the
 * update and everything else happen on the driver, in the trainer; a model saved from the weights is an
 * ordinary model file.
 *
 * <p>An epoch is ⌈m / batch⌉ steps. Unlike the single-machine trainer, which walks a shuffled permutation,
 * each step here draws a fresh sample from every partition, seeded by the trainer's seed, the step and the
 * partition, so an example may be seen twice in an epoch or not at all; with the full batch both take the same
 * steps.
 *
 * @param gradient where each step's Δ comes from
 * @param trainer the settings of the run, as on one machine
 */
public record SparkTrainer(SparkGradient gradient, Trainer trainer) {

    /** Trains {@code params} in place on {@code data} from the start. */
    public TrainingSummary train(Parameters params, SparkDataSet data) {
        return trainer.train(params, steps(data));
    }

    /**
     * Trains {@code params} in place on {@code data}, continuing from {@code from} (a position that a listener
     * or a stopped call reported); the optimizer must hold its state of that position. With the same
     * partitioning the weights come out bit for bit as in a run that never stopped, since a step's sample
     * depends on the seed, the step and the partition only.
     */
    public TrainingSummary train(Parameters params, SparkDataSet data, TrainingPosition from) {
        return trainer.train(params, steps(data), from);
    }

    private StepGradient steps(SparkDataSet data) {
        int m = data.size();
        return new StepGradient() {
            private int batch;
            private long seed;

            @Override
            public int size() {
                return m;
            }

            @Override
            public boolean ordered() {
                return false;
            }

            @Override
            public void begin(int batch, long seed) {
                this.batch = batch;
                this.seed = seed;
            }

            @Override
            public void compute(Parameters params, int[] order, int from, int to, long step, GradientSum sum) {
                GradientSum delta = batch >= m ? gradient.accumulate(params, data)
                        : gradient.accumulateSample(params, data, batch, seed, step);
                System.arraycopy(delta.deltaSum(), 0, sum.deltaSum(), 0, sum.deltaSum().length);
                sum.setTotals(delta.count(), delta.lossSum());
            }
        };
    }
}
