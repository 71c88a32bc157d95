package dev.backprop.core.io;

import dev.backprop.core.data.DataFingerprint;
import dev.backprop.core.train.TrainingPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a stopped training run needs to continue with the same bits: the model (whose provenance
 * holds the run's settings), where the run stands, the optimizer's step count and state, and the fingerprint
 * of the training data, when it is known, so that a resumed run can refuse other data. Immutable; the
 * arrays are copied in and out.
 */
public final class Checkpoint {
    private final Model model;
    private final TrainingPosition position;
    private final long optimizerSteps;
    private final List<double[]> optimizerState;
    private final DataFingerprint data;

    /** A checkpoint without the fingerprint of its data. */
    public Checkpoint(Model model, TrainingPosition position, long optimizerSteps, List<double[]> optimizerState) {
        this(model, position, optimizerSteps, optimizerState, null);
    }

    /**
     * @param data the training data's fingerprint, or null if it is not known
     * @throws IllegalArgumentException if a state array is not one value per weight of the model
     */
    public Checkpoint(Model model, TrainingPosition position, long optimizerSteps, List<double[]> optimizerState,
            DataFingerprint data) {
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
        this.data = data;
    }

    /** The fingerprint of the data the run trains on; empty in checkpoints of format version 1. */
    public Optional<DataFingerprint> data() {
        return Optional.ofNullable(data);
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
