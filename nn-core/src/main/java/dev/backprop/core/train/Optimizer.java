package dev.backprop.core.train;

import java.util.List;

/**
 * Turns a gradient D into a step on the weights. An optimizer owns its state (velocities, moments), sized
 * on first use, and is meant for one parameter array: make one per training run.
 *
 * <p>Every update is elementwise arithmetic in double precision with {@link StrictMath} where a library
 * function is needed, so the same gradients give the same weights on every JDK.
 */
public interface Optimizer {

    /** Gradient descent, W := W − α D (docs/MATH.md). */
    static Optimizer sgd(double learningRate) {
        return new Sgd(learningRate);
    }

    /** Classical momentum: v := μ v + D, W := W − α v. */
    static Optimizer momentum(double learningRate, double mu) {
        return new Momentum(learningRate, mu, false);
    }

    /** Nesterov momentum: v := μ v + D, W := W − α (D + μ v). */
    static Optimizer nesterov(double learningRate, double mu) {
        return new Momentum(learningRate, mu, true);
    }

    /** Adam with β1 = 0.9, β2 = 0.999, ε = 1e-8. */
    static Optimizer adam(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8);
    }

    /** Adam with the given constants. */
    static Optimizer adam(double learningRate, double beta1, double beta2, double epsilon) {
        return new Adam(learningRate, beta1, beta2, epsilon);
    }

    /** Applies one step: updates {@code weights} in place from the gradient {@code d}. */
    void update(double[] weights, double[] d);

    /** α, the learning rate of the next step. */
    double learningRate();

    /** Changes α for the steps that follow (learning-rate schedules). */
    void setLearningRate(double learningRate);

    /** The number of steps applied so far. */
    long steps();

    /** The state arrays (live, not copies), for checkpoints; empty before the first step or for plain SGD. */
    List<double[]> state();

    /**
     * Puts the optimizer back where a checkpoint found it: {@code steps} applied and {@code state} as
     * {@link #state()} returned it then (copied). Continuing from here gives the same bits as never stopping.
     *
     * @throws IllegalArgumentException if the number or lengths of the arrays do not fit this optimizer
     */
    void restore(long steps, List<double[]> state);

    /** A name with the settings, for logs and model provenance. */
    String describe();
}
