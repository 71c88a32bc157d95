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
 * shuffling, over any {@link GradientEngine} and {@link Optimizer}.
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

    private Trainer(Builder b) {
        this.engine = b.engine;
        this.optimizer = b.optimizer;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.l2 = b.l2;
        this.listeners = List.copyOf(b.listeners);
    }

    /** Starts a configuration that computes gradients with {@code engine}. */
    public static Builder builder(GradientEngine engine) {
        return new Builder(engine);
    }

    /**
     * Trains {@code params} in place on {@code data} and returns what happened.
     *
     * @throws IllegalStateException if the cost becomes NaN or infinite; the weights are then those of the
     *     last good step
     */
    public TrainingSummary train(Parameters params, DataSet data) {
        Network network = params.network();
        int m = data.size();
        boolean fullBatch = batchSize == 0 || batchSize >= m;
        int batch = fullBatch ? m : batchSize;
        DataSet buffer = fullBatch ? data : data.newBuffer(batch);
        int[] order = new int[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        SeededRandom shuffler = new SeededRandom(seed);
        GradientSum sum = GradientSum.zeros(network);
        double[] d = new double[network.parameterCount()];
        double[] weights = params.values();

        long step = 0;
        double lastLoss = Double.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            if (!fullBatch) {
                shuffler.shuffle(order);
            }
            double epochLoss = 0.0;
            for (int from = 0; from < m; from += batch) {
                int to = Math.min(m, from + batch);
                sum.reset();
                if (fullBatch) {
                    engine.accumulate(params, data, 0, m, sum);
                } else {
                    data.gatherInto(order, from, to, buffer);
                    engine.accumulate(params, buffer, 0, to - from, sum);
                }
                sum.gradientInto(d); // D = Δ / m, once
                double loss = sum.loss() + (l2 > 0 ? addL2(network, weights, d) : 0.0);
                step++;
                if (!Double.isFinite(loss)) {
                    throw new IllegalStateException("the cost became " + loss + " at epoch " + epoch + ", step " + step
                            + " with learning rate " + optimizer.learningRate()
                            + "; lower the learning rate or scale the inputs. The weights are those before this step.");
                }
                optimizer.update(weights, d);
                epochLoss += sum.lossSum();
                lastLoss = loss;
                for (TrainingListener listener : listeners) {
                    listener.onStep(epoch, step, to - from, loss);
                }
            }
            long nanos = System.nanoTime() - start;
            for (TrainingListener listener : listeners) {
                listener.onEpoch(epoch, epochLoss / m, nanos);
            }
        }
        return new TrainingSummary(epochs, step, lastLoss);
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

    /** What a run did. */
    public record TrainingSummary(int epochs, long steps, double lastLoss) {
    }

    /** Configures a {@link Trainer}. */
    public static final class Builder {
        private final GradientEngine engine;
        private Optimizer optimizer = Optimizer.sgd(0.1);
        private int epochs = 1;
        private int batchSize = 0;
        private long seed = 1;
        private double l2 = 0.0;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder(GradientEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
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

        /** Full-batch gradient descent, MATH.md's algorithm. */
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
