package dev.backprop.cli;

import dev.backprop.core.train.TrainingListener;
import java.util.function.Supplier;

/** Evaluates the weights after each epoch (validation and, if asked, test figures), for the listeners after it. */
final class ValidationTrigger implements TrainingListener {
    /** The validation (and optionally test) figures after an epoch; NaN where there is none. */
    record Evaluation(double validationLoss, double validationAccuracy, double testAccuracy) {
    }

    private final Supplier<Evaluation> evaluate;
    private Evaluation latest = new Evaluation(Double.NaN, Double.NaN, Double.NaN);

    ValidationTrigger(Supplier<Evaluation> evaluate) {
        this.evaluate = evaluate;
    }

    @Override
    public void onEpoch(int epoch, double meanLoss, long nanos) {
        latest = evaluate.get();
    }

    /** The figures of the last epoch evaluated. */
    Evaluation latest() {
        return latest;
    }
}
