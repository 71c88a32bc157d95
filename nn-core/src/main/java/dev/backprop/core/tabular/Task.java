package dev.backprop.core.tabular;

import java.util.Locale;

/** What the target column asks for. */
public enum Task {
    /** A class out of the values the training rows hold: softmax outputs, cross-entropy. */
    CLASSIFICATION,
    /** A number: one identity output, the half squared error, on the standardized target. */
    REGRESSION;

    /** "classification" or "regression", as the command line writes it. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The task named {@code text}, case ignored. */
    public static Task parse(String text) {
        for (Task t : values()) {
            if (t.toString().equalsIgnoreCase(text.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("--task must be classification or regression, got '" + text + "'");
    }
}
