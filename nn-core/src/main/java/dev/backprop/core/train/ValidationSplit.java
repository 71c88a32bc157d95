package dev.backprop.core.train;

import dev.backprop.core.SeededRandom;
import dev.backprop.core.data.DataSet;
import java.util.Arrays;

/**
 * Training and validation sets: a seeded choice of a fraction of the examples is held out, each part in the
 * examples' own order. The choice depends on the seed and the size alone, so a resumed run holds out the same
 * examples as the run it continues.
 *
 * @param training the examples trained on
 * @param validation the examples held out, or null when none are
 */
public record ValidationSplit(DataSet training, DataSet validation) {
    /** Keeps the held-out choice apart from the other uses of the same seed (weights, shuffling). */
    private static final long SALT = 0x5EED_0F_7A11DL;

    /**
     * Holds out round(m · {@code fraction}) of the m examples of {@code all}, chosen by {@code seed}.
     *
     * @throws IllegalArgumentException if that leaves no example to train on
     */
    public static ValidationSplit of(DataSet all, double fraction, long seed) {
        int held = (int) Math.round(all.size() * fraction);
        if (held == 0) {
            return new ValidationSplit(all, null);
        }
        if (held >= all.size()) {
            throw new IllegalArgumentException("holding out " + fraction + " of the examples for validation leaves none of "
                    + all.size() + " to train on");
        }
        int[] order = new int[all.size()];
        Arrays.setAll(order, i -> i);
        new SeededRandom(seed ^ SALT).shuffle(order);
        int[] validation = Arrays.copyOfRange(order, 0, held);
        int[] training = Arrays.copyOfRange(order, held, order.length);
        Arrays.sort(validation);
        Arrays.sort(training);
        return new ValidationSplit(all.select(training), all.select(validation));
    }
}
