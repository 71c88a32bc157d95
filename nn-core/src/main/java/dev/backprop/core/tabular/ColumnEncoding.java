package dev.backprop.core.tabular;

import java.util.List;
import java.util.Locale;

/** How one input column becomes network inputs; fitted on the training rows. */
public sealed interface ColumnEncoding {
    /** The column's name in the header. */
    String name();

    /** How many network inputs the column takes: 1, the number of categories, or 0 when dropped. */
    int width();

    /** In words, for {@code nn train} and {@code nn info}. */
    String describe();

    /**
     * A numeric column, standardized: x ↦ (x − mean) / deviation, with the training rows' mean and
     * population standard deviation.
     *
     * @param imputed whether a missing value becomes the mean (an input of 0) rather than an error
     */
    record Standardized(String name, double mean, double deviation, boolean imputed) implements ColumnEncoding {
        public Standardized {
            if (!(deviation > 0) || !Double.isFinite(deviation) || !Double.isFinite(mean)) {
                throw new IllegalArgumentException("column '" + name + "': mean " + mean + " and deviation " + deviation
                        + " do not standardize");
            }
        }

        @Override
        public int width() {
            return 1;
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "number, standardized (mean %.6g, deviation %.6g)%s", mean, deviation,
                    imputed ? ", missing values imputed with the mean" : "");
        }
    }

    /**
     * A text column, one-hot over the categories of the training rows; a category never seen in training
     * (and, when {@code imputed}, a missing value) is all zeros.
     */
    record OneHot(String name, List<String> categories, boolean imputed) implements ColumnEncoding {
        public OneHot {
            categories = List.copyOf(categories);
            if (categories.size() < 2) {
                throw new IllegalArgumentException("column '" + name + "': one-hot needs at least 2 categories");
            }
        }

        @Override
        public int width() {
            return categories.size();
        }

        @Override
        public String describe() {
            int shown = Math.min(categories.size(), 6);
            return "text, one-hot over " + categories.size() + " categories (" + String.join(", ", categories.subList(0, shown))
                    + (shown < categories.size() ? ", ..." : "") + ")" + (imputed ? ", missing values all zeros" : "");
        }
    }

    /** A column that carries nothing the network could use, left out of its input. */
    record Dropped(String name, String reason) implements ColumnEncoding {
        @Override
        public int width() {
            return 0;
        }

        @Override
        public String describe() {
            return "dropped: " + reason;
        }
    }
}
