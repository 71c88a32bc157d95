package dev.backprop.core.train;

/**
 * The learning rate of each epoch as a multiple of the base rate the optimizer was made with. The
 * {@link Trainer} sets it at the start of every epoch, so a run resumed at epoch k uses the same rates as
 * one that never stopped.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The factor applied to the base learning rate during {@code epoch} (from 1) of {@code epochs}. */
    double factor(int epoch, int epochs);

    /** The base rate throughout. */
    static LearningRateSchedule constant() {
        return (epoch, epochs) -> 1.0;
    }

    /** The rate multiplied by {@code gamma} every {@code every} epochs: epochs 1..every at the base rate. */
    static LearningRateSchedule step(int every, double gamma) {
        if (every < 1) {
            throw new IllegalArgumentException("the step schedule needs a period of at least 1 epoch, got " + every);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("the step schedule's factor must be in (0, 1], got " + gamma);
        }
        return (epoch, epochs) -> StrictMath.pow(gamma, (epoch - 1) / every);
    }

    /**
     * Cosine annealing from the base rate in epoch 1 to {@code floor} times it in the last epoch; the usual
     * choice when the number of epochs is known in advance.
     */
    static LearningRateSchedule cosine(double floor) {
        if (!(floor > 0 && floor <= 1)) {
            throw new IllegalArgumentException("the cosine schedule's floor must be in (0, 1], got " + floor);
        }
        return (epoch, epochs) -> {
            double progress = epochs <= 1 ? 0.0 : (epoch - 1) / (double) (epochs - 1);
            return floor + (1.0 - floor) * 0.5 * (1.0 + StrictMath.cos(Math.PI * progress));
        };
    }

    /**
     * Parses the command-line form: {@code constant}, {@code step:EVERY:GAMMA} (say {@code step:10:0.5})
     * or {@code cosine} / {@code cosine:FLOOR}.
     */
    static LearningRateSchedule parse(String text) {
        String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split(":", -1);
        try {
            switch (parts[0]) {
                case "constant":
                    if (parts.length == 1) {
                        return constant();
                    }
                    break;
                case "step":
                    if (parts.length == 3) {
                        return step(Integer.parseInt(parts[1]), Double.parseDouble(parts[2]));
                    }
                    break;
                case "cosine":
                    if (parts.length <= 2) {
                        return cosine(parts.length == 2 ? Double.parseDouble(parts[1]) : 0.01);
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("schedule '" + text + "': " + e.getMessage());
        }
        throw new IllegalArgumentException("unknown schedule '" + text
                + "'; expected constant, step:EVERY:GAMMA (say step:10:0.5) or cosine[:FLOOR]");
    }
}
