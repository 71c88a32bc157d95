package dev.backprop.core.tabular;

import java.util.List;
import java.util.Locale;

/** How the target column becomes the network's targets, and its outputs a prediction again. */
public sealed interface TargetEncoding {
    /** The target column's name. */
    String name();

    /** S_L, the network's outputs. */
    int outputs();

    /** In words, for {@code nn train} and {@code nn info}. */
    String describe();

    /** The task this encoding serves. */
    Task task();

    /** The classes, in the order of the network's outputs. */
    record Classes(String name, List<String> classes) implements TargetEncoding {
        public Classes {
            classes = List.copyOf(classes);
            if (classes.size() < 2) {
                throw new IllegalArgumentException("the target '" + name + "' needs at least 2 classes in the training rows, has "
                        + classes.size() + (classes.isEmpty() ? "" : " (" + classes.get(0) + ")"));
            }
        }

        @Override
        public int outputs() {
            return classes.size();
        }

        @Override
        public Task task() {
            return Task.CLASSIFICATION;
        }

        @Override
        public String describe() {
            return "'" + name + "', " + classes.size() + " classes: " + String.join(", ", classes);
        }
    }

    /**
     * A number, standardized for training with the training rows' mean and deviation: the network learns
     * z = (y − mean) / deviation and its output is turned back into y = mean + deviation · z.
     */
    record Scaled(String name, double mean, double deviation) implements TargetEncoding {
        public Scaled {
            if (!(deviation > 0) || !Double.isFinite(deviation) || !Double.isFinite(mean)) {
                throw new IllegalArgumentException("the target '" + name + "' is the same number in every training row: "
                        + "there is nothing to learn");
            }
        }

        @Override
        public int outputs() {
            return 1;
        }

        @Override
        public Task task() {
            return Task.REGRESSION;
        }

        /** The network's output z in the target's units. */
        public double value(double z) {
            return mean + deviation * z;
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "'%s', a number, standardized (mean %.6g, deviation %.6g)", name, mean,
                    deviation);
        }
    }
}
