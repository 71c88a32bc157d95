package dev.backprop.spark;

import dev.backprop.core.GradientSum;
import dev.backprop.core.Parameters;
import dev.backprop.core.train.LearningRateSchedule;
import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.StepGradient;
import dev.backprop.core.train.Trainer;
import dev.backprop.core.train.Trainer.TrainingSummary;
import dev.backprop.core.train.TrainingListener;
import dev.backprop.core.train.TrainingPosition;
import java.util.function.IntConsumer;

/**
 * Gradient descent on a {@link SparkDataSet}: nn-core's {@link Trainer} (D = Δ/m once on the driver, the L2
 * term, the optimizers and schedules, listeners, stop and resume) with each step's Δ from one
 * {@link SparkGradient}: the whole set, or a sample of {@code batch} examples drawn per partition. The
 * weights live on the driver; a model saved from them is an ordinary model file.
 *
 * <p>An epoch is ⌈m / batch⌉ steps. Unlike the single-machine trainer, which walks a shuffled permutation,
 * each step here draws a fresh sample from every partition, so an example may be seen twice in an epoch or
 * not at all; with the full batch both trainers take the same steps.
 */
public final class SparkTrainer {
    private final SparkGradient gradient;
    private final Trainer trainer;
    private final int batch;
    private final long seed;

    private SparkTrainer(Builder b) {
        this.gradient = b.gradient;
        this.batch = b.batch;
        this.seed = b.seed;
        this.trainer = b.trainer.batchSize(b.batch).seed(b.seed).build();
    }

    /** A trainer computing its gradients with {@code gradient}. */
    public static Builder builder(SparkGradient gradient) {
        return new Builder(gradient);
    }

    /** Trains {@code params} in place on {@code data} from the start. */
    public TrainingSummary train(Parameters params, SparkDataSet data) {
        return train(params, data, TrainingPosition.start(seed));
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

    /** Asks a running {@link #train} to return before its next step; see {@link Trainer#requestStop()}. */
    public void requestStop() {
        trainer.requestStop();
    }

    private StepGradient steps(SparkDataSet data) {
        int m = data.size();
        boolean full = batch == 0 || batch >= m;
        return new StepGradient() {
            @Override
            public int size() {
                return m;
            }

            @Override
            public boolean ordered() {
                return false;
            }

            @Override
            public void compute(Parameters params, int[] order, int from, int to, long step, GradientSum sum) {
                GradientSum delta = full ? gradient.accumulate(params, data)
                        : gradient.accumulateSample(params, data, batch, seed, step);
                System.arraycopy(delta.deltaSum(), 0, sum.deltaSum(), 0, sum.deltaSum().length);
                sum.setTotals(delta.count(), delta.lossSum());
            }
        };
    }

    /** Settings of a {@link SparkTrainer}. */
    public static final class Builder {
        private final SparkGradient gradient;
        private final Trainer.Builder trainer = Trainer.builder();
        private int batch;
        private long seed = 1;

        private Builder(SparkGradient gradient) {
            this.gradient = gradient;
        }

        /** The optimizer, whose learning rate is the schedule's base. Default: SGD at 0.1. */
        public Builder optimizer(Optimizer optimizer) {
            trainer.optimizer(optimizer);
            return this;
        }

        /** The learning-rate schedule over the epochs. Default: constant. */
        public Builder schedule(LearningRateSchedule schedule) {
            trainer.schedule(schedule);
            return this;
        }

        /** Epochs to run, 1 or more. */
        public Builder epochs(int epochs) {
            trainer.epochs(epochs);
            return this;
        }

        /** Examples per step, sampled per partition; 0 (the default) for full-batch gradient descent. */
        public Builder batchSize(int batch) {
            trainer.batchSize(batch);
            this.batch = batch;
            return this;
        }

        /** The seed of the per-partition samples. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** λ of the L2 penalty (λ/2) Σ W² over non-bias weights; 0 (the default) turns it off. */
        public Builder l2(double lambda) {
            trainer.l2(lambda);
            return this;
        }

        /** Adds a listener, called on the driver after each step and epoch. */
        public Builder listener(TrainingListener listener) {
            trainer.listener(listener);
            return this;
        }

        /** Called on the driver after each epoch with its number: a listener that needs nothing else. */
        public Builder onEpoch(IntConsumer onEpoch) {
            trainer.listener(new TrainingListener() {
                @Override
                public void onEpoch(int epoch, double meanLoss, long nanos) {
                    onEpoch.accept(epoch);
                }
            });
            return this;
        }

        /** The trainer. */
        public SparkTrainer build() {
            return new SparkTrainer(this);
        }
    }
}
