package dev.backprop.core;

import java.util.Locale;

/**
 * How initial weights are drawn. Weights are drawn matrix by matrix, row by row, column by column from
 * one {@link SeededRandom}, so the same seed gives the same weights on every machine and JDK.
 */
public abstract class Initializer {
    private final String id;

    private Initializer(String id) {
        this.id = id;
    }

    /**
     * Every weight, bias weights included, uniform in [−ε, ε]: the sources' way to break symmetry.
     */
    public static Initializer uniform(double epsilon) {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("the uniform range ε must be positive and finite, got " + epsilon);
        }
        return new Initializer("uniform(" + epsilon + ")") {
            @Override
            double draw(SeededRandom random, int fanIn, int fanOut) {
                return random.nextDouble(-epsilon, epsilon);
            }

            @Override
            boolean drawsBias() {
                return true;
            }
        };
    }

    /** Glorot and Bengio: uniform in ±√(6 / (fan-in + fan-out)), bias weights 0. Suits sigmoid and tanh. */
    public static Initializer xavier() {
        return new Initializer("xavier") {
            @Override
            double draw(SeededRandom random, int fanIn, int fanOut) {
                double limit = Math.sqrt(6.0 / (fanIn + fanOut));
                return random.nextDouble(-limit, limit);
            }
        };
    }

    /** He et al.: normal with standard deviation √(2 / fan-in), bias weights 0. Suits relu. */
    public static Initializer he() {
        return new Initializer("he") {
            @Override
            double draw(SeededRandom random, int fanIn, int fanOut) {
                return random.nextGaussian() * Math.sqrt(2.0 / fanIn);
            }
        };
    }

    /** {@code xavier}, {@code he} or {@code uniform:ε} (for example {@code uniform:0.12}). */
    public static Initializer parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("xavier") || s.equals("glorot")) {
            return xavier();
        }
        if (s.equals("he")) {
            return he();
        }
        if (s.startsWith("uniform:")) {
            try {
                return uniform(Double.parseDouble(s.substring("uniform:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + spec + "': the range after 'uniform:' is not a number");
            }
        }
        throw new IllegalArgumentException("unknown initializer '" + spec + "'; expected xavier, he or uniform:ε");
    }

    abstract double draw(SeededRandom random, int fanIn, int fanOut);

    boolean drawsBias() {
        return false;
    }

    void initialize(Network network, double[] values, SeededRandom random) {
        int biasColumns = network.bias() ? 1 : 0;
        for (int w = 0; w < network.weightMatrices(); w++) {
            int fanIn = network.units(w);
            int fanOut = network.units(w + 1);
            int columns = network.weightColumns(w);
            int offset = network.weightOffset(w);
            for (int j = 0; j < fanOut; j++) {
                for (int k = 0; k < columns; k++) {
                    boolean isBias = k < biasColumns;
                    values[offset + j * columns + k] = isBias && !drawsBias() ? 0.0 : draw(random, fanIn, fanOut);
                }
            }
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
