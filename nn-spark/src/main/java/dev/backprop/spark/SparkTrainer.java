package dev.backprop.spark;

import dev.backprop.core.GradientSum;
import dev.backprop.core.Parameters;
import dev.backprop.core.train.LearningRateSchedule;
import dev.backprop.core.train.Optimizer;
import java.util.function.IntConsumer;

/**
 * Gradient descent on a {@link SparkDataSet}: each step one {@link SparkGradient} (the whole set, or a sample
 * of {@code batch} examples drawn per partition), then D = Δ/m once and the optimizer's update on the driver,
 * with the nn-core optimizers and learning-rate schedules. The weights live on the driver; a model saved from
 * them is an ordinary model file.
 *
 * <p>An epoch is ⌈m / batch⌉ steps. Unlike the single-machine trainer, which walks a shuffled permutation,
 * each step here draws a fresh sample from every partition, so an example may be seen twice in an epoch or
 * not at all; with the full batch both trainers take the same steps.
 */
public final class SparkTrainer {
    private final SparkGradient gradient;
    private final Optimizer optimizer;
    private final double baseLearningRate;
    private final LearningRateSchedule schedule;
    private final int epochs;
    private final int batch;
    private final long seed;
    private final IntConsumer onEpoch;

    private SparkTrainer(Builder b) {
        this.gradient = b.gradient;
        this.optimizer = b.optimizer;
        this.baseLearningRate = b.optimizer.learningRate();
        this.schedule = b.schedule;
        this.epochs = b.epochs;
        this.batch = b.batch;
        this.seed = b.seed;
        this.onEpoch = b.onEpoch;
    }

    /** A trainer computing its gradients with {@code gradient}. */
    public static Builder builder(SparkGradient gradient) {
        return new Builder(gradient);
    }

    /** What a run did: the steps taken and the cost J of the last one. */
    public record Result(long steps, double lastLoss) {
    }

    /** Trains {@code params} in place on {@code data}. */
    public Result train(Parameters params, SparkDataSet data) {
        int m = data.size();
        boolean full = batch == 0 || batch >= m;
        int stepsPerEpoch = full ? 1 : (m + batch - 1) / batch;
        double[] weights = params.values();
        double[] d = new double[weights.length];
        long step = 0;
        double loss = Double.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            optimizer.setLearningRate(baseLearningRate * schedule.factor(epoch, epochs));
            for (int s = 0; s < stepsPerEpoch; s++) {
                GradientSum sum = full ? gradient.accumulate(params, data)
                        : gradient.accumulateSample(params, data, batch, seed, step);
                sum.gradientInto(d); // D = Δ / m, once, on the driver
                loss = sum.loss();
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("the cost became " + loss + " at epoch " + epoch + ", step " + (step + 1)
                            + "; lower the learning rate. The weights are those before this step.");
                }
                optimizer.update(weights, d);
                step++;
            }
            onEpoch.accept(epoch);
        }
        return new Result(step, loss);
    }

    /** Settings of a {@link SparkTrainer}. */
    public static final class Builder {
        private final SparkGradient gradient;
        private Optimizer optimizer = Optimizer.sgd(0.1);
        private LearningRateSchedule schedule = LearningRateSchedule.constant();
        private int epochs = 1;
        private int batch;
        private long seed = 1;
        private IntConsumer onEpoch = epoch -> { };

        private Builder(SparkGradient gradient) {
            this.gradient = gradient;
        }

        /** The optimizer, whose learning rate is the schedule's base. Default: SGD at 0.1. */
        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /** The learning-rate schedule over the epochs. Default: constant. */
        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Epochs to run, 1 or more. */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be 1 or more, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Examples per step, sampled per partition; 0 (the default) for full-batch gradient descent. */
        public Builder batchSize(int batch) {
            if (batch < 0) {
                throw new IllegalArgumentException("the batch size must be 0 (full batch) or more, got " + batch);
            }
            this.batch = batch;
            return this;
        }

        /** The seed of the per-partition samples. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Called on the driver after each epoch with its number. */
        public Builder onEpoch(IntConsumer onEpoch) {
            this.onEpoch = onEpoch;
            return this;
        }

        /** The trainer. */
        public SparkTrainer build() {
            return new SparkTrainer(this);
        }
    }
}
