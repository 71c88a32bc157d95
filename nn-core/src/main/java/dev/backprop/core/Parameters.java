package dev.backprop.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * The weights of a {@link Network}: one flat {@code double} array, matrix after matrix, row-major, bias
 * column first ({@link Network#weightOffset} and its neighbours say where each matrix starts).
 *
 * <p>Mutable on purpose: optimizers update it in place every step. Weights are kept in double precision
 * even when an engine computes in float32, so that updates of size 1e-8 are not lost and the reference
 * engine sees exactly the numbers a finite-difference check perturbs.
 */
public final class Parameters {
    private final Network network;
    private final double[] values;

    private Parameters(Network network, double[] values) {
        this.network = network;
        this.values = values;
    }

    /** All weights zero. */
    public static Parameters zeros(Network network) {
        return new Parameters(network, new double[network.parameterCount()]);
    }

    /** Weights given as a flat array in the layout of {@link Network}; the array is copied. */
    public static Parameters of(Network network, double[] values) {
        Objects.requireNonNull(network, "network");
        if (values.length != network.parameterCount()) {
            throw new IllegalArgumentException("the network " + network + " has " + network.parameterCount()
                    + " weights, but " + values.length + " were given");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("weight " + i + " is " + values[i] + "; weights must be finite");
            }
        }
        return new Parameters(network, values.clone());
    }

    /** Weights drawn by {@code initializer} from a generator seeded with {@code seed}. */
    public static Parameters initialize(Network network, Initializer initializer, long seed) {
        Parameters p = zeros(network);
        initializer.initialize(network, p.values, new SeededRandom(seed));
        return p;
    }

    /** The network these weights belong to. */
    public Network network() {
        return network;
    }

    /** The flat array itself (not a copy): writes change these parameters. */
    public double[] values() {
        return values;
    }

    /** The number of weights. */
    public int size() {
        return values.length;
    }

    /** An independent copy. */
    public Parameters copy() {
        return new Parameters(network, values.clone());
    }

    /** Copies {@code other}'s weights into these; both must belong to the same network. */
    public void copyFrom(Parameters other) {
        if (!network.equals(other.network)) {
            throw new IllegalArgumentException("cannot copy weights of " + other.network + " into " + network);
        }
        System.arraycopy(other.values, 0, values, 0, values.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters other && network.equals(other.network) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * network.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Parameters[" + network + ", " + values.length + " weights]";
    }
}
