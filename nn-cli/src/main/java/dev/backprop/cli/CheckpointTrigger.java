package dev.backprop.cli;

import dev.backprop.core.train.TrainingListener;
import dev.backprop.core.train.TrainingPosition;
import java.util.function.Consumer;

/** Writes a checkpoint at the end of each epoch, after every listener's epoch figures: where a resumed run continues. */
final class CheckpointTrigger implements TrainingListener {
    private final Consumer<TrainingPosition> checkpoint;

    CheckpointTrigger(Consumer<TrainingPosition> checkpoint) {
        this.checkpoint = checkpoint;
    }

    @Override
    public void onEpochEnd(TrainingPosition next) {
        checkpoint.accept(next);
    }
}
