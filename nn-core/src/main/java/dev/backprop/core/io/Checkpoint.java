package dev.backprop.core.io;

import dev.backprop.core.train.TrainingPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a stopped training run needs to continue with the same bits: the model (whose provenance
 * holds the run's settings), where the run stands, and the optimizer's step count and state. Immutable;
 * the arrays are copied in and out.
 */
public final class Checkpoint {
    private final Model model;
    private final TrainingPosition position;
    private final long optimizerSteps;
    private final List<double[]> optimizerState;

    /**
     * @throws IllegalArgumentException if a state array is not one value per weight of the model
     */
    public Checkpoint(Model model, TrainingPosition position, long optimizerSteps, List<double[]> optimizerState) {
        this.model = Objects.requireNonNull(model, "model");
        this.position = Objects.requireNonNull(position, "position");
        if (optimizerSteps < 0) {
            throw new IllegalArgumentException("the optimizer's step count must be 0 or more, got " + optimizerSteps);
        }
        this.optimizerSteps = optimizerSteps;
        int weights = model.network().parameterCount();
        List<double[]> copies = new ArrayList<>();
        for (double[] s : optimizerState) {
            if (s.length != weights) {
                throw new IllegalArgumentException("an optimizer state array has " + s.length
                        + " values, but the model has " + weights + " weights");
            }
            copies.add(s.clone());
        }
        this.optimizerState = copies;
    }

    /** The weights and settings at the checkpoint. */
    public Model model() {
        return model;
    }

    /** Where the run continues. */
    public TrainingPosition position() {
        return position;
    }

    /** The steps the optimizer had applied. */
    public long optimizerSteps() {
        return optimizerSteps;
    }

    /** Copies of the optimizer's state arrays, in the order {@link dev.backprop.core.train.Optimizer#state()} gave them. */
    public List<double[]> optimizerState() {
        List<double[]> copies = new ArrayList<>();
        for (double[] s : optimizerState) {
            copies.add(s.clone());
        }
        return copies;
    }
}
