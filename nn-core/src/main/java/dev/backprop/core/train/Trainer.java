package dev.backprop.core.train;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.SeededRandom;
import dev.backprop.core.data.DataSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The training loop: full-batch gradient descent (the sources' algorithm) or mini-batch SGD with seeded
 * shuffling, over any {@link GradientEngine} (or any other {@link StepGradient}, such as a cluster's) and
 * {@link Optimizer}.
 *
 * <p>Each step: Δ over the batch from the engine, D = Δ/m once, the optional L2 term λW added to D for
 * every weight except the bias weights, then the optimizer's update. The order of examples depends only on
 * the seed, so a run is reproducible; buffers are made once per run, so a step allocates nothing.
 */
public final class Trainer {
    private final GradientEngine engine;
    private final Optimizer optimizer;
    private final int epochs;
    private final int batchSize;
    private final long seed;
    private final double l2;
    private final List<TrainingListener> listeners;
    private final LearningRateSchedule schedule;
    private final double baseLearningRate;
    private volatile boolean stopRequested;

    private Trainer(Builder b) {
        this.engine = b.engine;
        this.optimizer = b.optimizer;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.l2 = b.l2;
        this.listeners = List.copyOf(b.listeners);
        this.schedule = b.schedule;
        this.baseLearningRate = b.optimizer.learningRate();
    }

    /** Starts a configuration that computes gradients with {@code engine}. */
    public static Builder builder(GradientEngine engine) {
        return new Builder(Objects.requireNonNull(engine, "engine"));
    }

    /** Starts a configuration for training on a {@link StepGradient} (a cluster, say) rather than a data set. */
    public static Builder builder() {
        return new Builder(null);
    }

    /**
     * Trains {@code params} in place on {@code data} from the start and returns what happened.
     *
     * @throws IllegalStateException if the cost becomes NaN or infinite; the weights are then those of the
     *     last good step
     */
    public TrainingSummary train(Parameters params, DataSet data) {
        return train(params, data, TrainingPosition.start(seed));
    }

    /**
     * Trains {@code params} in place on {@code data}, continuing from {@code from} (a position a listener or
     * an earlier, stopped call reported), up to the configured number of epochs or until
     * {@link #requestStop()}. The optimizer must hold the state it had at that position
     * ({@link Optimizer#restore}); then the weights come out bit for bit as in a run that never stopped.
     *
     * @throws IllegalStateException if the cost becomes NaN or infinite; the weights are then those of the
     *     last good step
     */
    public TrainingSummary train(Parameters params, DataSet data, TrainingPosition from) {
        if (engine == null) {
            throw new IllegalStateException("this trainer was built without an engine; train it on a StepGradient");
        }
        return train(params, StepGradient.of(engine, data), from);
    }

    /**
     * Trains {@code params} in place from the start on the steps of {@code source}; see
     * {@link #train(Parameters, StepGradient, TrainingPosition)}.
     */
    public TrainingSummary train(Parameters params, StepGradient source) {
        return train(params, source, TrainingPosition.start(seed));
    }

    /**
     * The training loop over any source of step gradients (the local engines, a cluster): as
     * {@link #train(Parameters, DataSet, TrainingPosition)}, with {@code source} saying which examples each
     * step adds up.
     *
     * @throws IllegalStateException if the cost becomes NaN or infinite; the weights are then those of the
     *     last good step
     */
    public TrainingSummary train(Parameters params, StepGradient source, TrainingPosition from) {
        Network network = params.network();
        int m = source.size();
        if (m == 0) {
            throw new IllegalArgumentException("there are no examples to train on");
        }
        boolean fullBatch = batchSize == 0 || batchSize >= m;
        int batch = fullBatch ? m : batchSize;
        int batches = (m + batch - 1) / batch;
        if (from.batch() >= batches && from.batch() > 0) {
            throw new IllegalArgumentException("cannot resume at batch " + from.batch() + " of an epoch of "
                    + batches + " batches: the batch size or the data changed since the checkpoint");
        }
        source.begin(batch, seed);
        boolean shuffled = !fullBatch && source.ordered();
        int[] order = shuffled ? new int[m] : null;
        GradientSum sum = GradientSum.zeros(network);
        // The built-in optimizers update in slices on the source's threads (element-wise, so the same bits on any
        // number of threads); without L2 they also form D = Δ/m themselves, which saves the pass that writes D and
        // the one that reads it back. With L2, D is formed first and holds D + λW.
        boolean fused = l2 == 0 && optimizer instanceof AbstractOptimizer;
        double[] d = fused ? null : new double[network.parameterCount()];
        double[] weights = params.values();

        long step = from.steps();
        double lastLoss = Double.NaN;
        long shuffleState = from.shuffleState();
        for (int epoch = from.epoch(); epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            boolean resumed = epoch == from.epoch();
            // Each epoch shuffles the identity from a stored generator state, so a checkpoint needs that state
            // only, not the permutation.
            SeededRandom shuffler = SeededRandom.fromState(shuffleState);
            if (shuffled) {
                for (int i = 0; i < m; i++) {
                    order[i] = i;
                }
                shuffler.shuffle(order);
            }
            optimizer.setLearningRate(baseLearningRate * schedule.factor(epoch, epochs));
            double epochLoss = resumed ? from.epochLossSum() : 0.0;
            for (int b = resumed ? from.batch() : 0; b < batches; b++) {
                if (stopRequested) {
                    stopRequested = false;
                    return new TrainingSummary(step, lastLoss,
                            new TrainingPosition(epoch, b, step, epochLoss, shuffleState), true);
                }
                int lo = b * batch;
                int hi = Math.min(m, lo + batch);
                source.compute(params, order, lo, hi, step, sum);
                double loss = sum.loss();
                if (!fused) {
                    sum.gradientInto(d); // D = Δ / m, once
                    loss += l2 > 0 ? addL2(network, weights, d) : 0.0;
                }
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("the cost became " + loss + " at epoch " + epoch + ", step "
                            + (step + 1) + " with learning rate " + optimizer.learningRate()
                            + "; lower the learning rate or scale the inputs. The weights are those before this step.");
                }
                if (fused) {
                    // D = Δ / m is formed inside the update, element by element
                    ((AbstractOptimizer) optimizer).step(weights, sum.deltaSum(), sum.count(), source);
                } else if (optimizer instanceof AbstractOptimizer sliced) {
                    sliced.step(weights, d, 1.0, source);
                } else {
                    optimizer.update(weights, d);
                }
                step++;
                epochLoss += sum.lossSum();
                lastLoss = loss;
                for (TrainingListener listener : listeners) {
                    listener.onStep(epoch, step, hi - lo, loss);
                }
            }
            long nanos = System.nanoTime() - start;
            shuffleState = shuffler.state();
            TrainingPosition next = new TrainingPosition(epoch + 1, 0, step, 0.0, shuffleState);
            for (TrainingListener listener : listeners) {
                listener.onEpoch(epoch, epochLoss / m, nanos);
            }
            for (TrainingListener listener : listeners) {
                listener.onEpochEnd(next);
            }
        }
        return new TrainingSummary(step, lastLoss, new TrainingPosition(epochs + 1, 0, step, 0.0, shuffleState), false);
    }

    /**
     * Asks a running {@link #train} to return before its next step, with {@link TrainingSummary#stopped()}
     * set and the position to resume from. Safe to call from any thread (a signal handler, say); a request
     * made while no training runs stops the next call before its first step.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** The last epoch this trainer runs to. */
    public int epochs() {
        return epochs;
    }

    /**
     * D += λ W and returns (λ/2) Σ W², both over the weights that do not multiply a bias unit: the penalty
     * shrinks connections, not offsets.
     */
    static double addL2(Network network, double[] weights, double[] d, double lambda) {
        int biasColumns = network.bias() ? 1 : 0;
        double squares = 0.0;
        for (int w = 0; w < network.weightMatrices(); w++) {
            int offset = network.weightOffset(w);
            int columns = network.weightColumns(w);
            for (int j = 0; j < network.weightRows(w); j++) {
                for (int k = biasColumns; k < columns; k++) {
                    int i = offset + j * columns + k;
                    d[i] += lambda * weights[i];
                    squares += weights[i] * weights[i];
                }
            }
        }
        return 0.5 * lambda * squares;
    }

    private double addL2(Network network, double[] weights, double[] d) {
        return addL2(network, weights, d, l2);
    }

    /**
     * What a call to {@link #train} did.
     *
     * @param steps the steps taken over the whole run, including those before a resumed position
     * @param lastLoss J of the last step this call took, NaN if it took none
     * @param next where a later call continues from
     * @param stopped true if {@link #requestStop()} ended the call before the last epoch
     */
    public record TrainingSummary(long steps, double lastLoss, TrainingPosition next, boolean stopped) {
    }

    /** Configures a {@link Trainer}. */
    public static final class Builder {
        private final GradientEngine engine;
        private Optimizer optimizer = Optimizer.sgd(0.1);
        private int epochs = 1;
        private int batchSize = 0;
        private long seed = 1;
        private double l2 = 0.0;
        private LearningRateSchedule schedule = LearningRateSchedule.constant();
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder(GradientEngine engine) {
            this.engine = engine;
        }

        /** The optimizer (default: {@code sgd(0.1)}); its state lives for the run. */
        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /** Passes over the data (default 1). */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Examples per step; 0 (the default) means the full batch, one step per epoch. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 0) {
                throw new IllegalArgumentException("the batch size must be 0 (full batch) or positive, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Full-batch gradient descent, docs/MATH.md's algorithm. */
        public Builder fullBatch() {
            return batchSize(0);
        }

        /** The seed of the shuffling of examples between epochs. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** λ of the L2 penalty (λ/2) Σ W² over non-bias weights; 0 (the default) turns it off. */
        public Builder l2(double lambda) {
            if (!(lambda >= 0) || !Double.isFinite(lambda)) {
                throw new IllegalArgumentException("the L2 factor must be 0 or positive, got " + lambda);
            }
            this.l2 = lambda;
            return this;
        }

        /**
         * How the learning rate changes from epoch to epoch (default: constant), as a factor of the
         * optimizer's learning rate when {@link #build()} is called.
         */
        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /** Adds a listener, called after each step and epoch. */
        public Builder listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The configured trainer. */
        public Trainer build() {
            return new Trainer(this);
        }
    }
}
