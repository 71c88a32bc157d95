package dev.backprop.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The description of a fully connected network: layer sizes, an activation per non-input layer, bias
 * units on or off, and the cost. Immutable; it says nothing about the weights (see {@link Parameters}).
 *
 * <p>Indices are zero-based: layer {@code 0} is the input layer (docs/MATH.md's layer 1) and layer
 * {@code layers() - 1} the output layer (docs/MATH.md's L). Weight matrix {@code w} is docs/MATH.md's W^(w+1), the
 * matrix from layer {@code w} to layer {@code w + 1}, of shape {@code units(w + 1) × (units(w) + 1)} with
 * the bias on (column 0 multiplies the bias unit) and {@code units(w + 1) × units(w)} with the bias off.
 *
 * <p>All weights live in one flat array, matrix after matrix, row-major, bias column first;
 * {@link #weightOffset(int)} says where each matrix starts.
 */
public final class Network {
    /** Arrays in Java hold at most about 2^31 − 1 elements; a network must fit one. */
    static final long MAX_PARAMETERS = Integer.MAX_VALUE - 8;

    private final int[] units;
    private final Activation[] activations;
    private final boolean bias;
    private final Cost cost;
    private final int[] offsets;
    private final int parameterCount;

    private Network(int[] units, Activation[] activations, boolean bias, Cost cost) {
        this.units = units;
        this.activations = activations;
        this.bias = bias;
        this.cost = cost;
        this.offsets = new int[units.length];
        long offset = 0;
        for (int w = 0; w < units.length - 1; w++) {
            offsets[w] = (int) offset;
            offset += (long) units[w + 1] * (units[w] + (bias ? 1 : 0));
        }
        offsets[units.length - 1] = (int) offset;
        this.parameterCount = (int) offset;
    }

    /** A network with the given layer sizes, sigmoid everywhere, bias units on, half squared error. */
    public static Network of(int... units) {
        return builder(units).build();
    }

    /** Starts a description with the given layer sizes, input first. */
    public static Builder builder(int... units) {
        return new Builder(units);
    }

    /** L, the number of layers including the input and output layers. */
    public int layers() {
        return units.length;
    }

    /** The number of units of layer {@code layer} (zero-based; 0 is the input), not counting the bias unit. */
    public int units(int layer) {
        return units[layer];
    }

    /** The layer sizes, input first. A copy. */
    public int[] unitsPerLayer() {
        return units.clone();
    }

    /** S_1, the size of an input example. */
    public int inputs() {
        return units[0];
    }

    /** S_L, the size of an output (and of a target). */
    public int outputs() {
        return units[units.length - 1];
    }

    /** The activation g of layer {@code layer}, for layers 1 .. layers() − 1 (the input layer has none). */
    public Activation activation(int layer) {
        if (layer < 1 || layer >= units.length) {
            throw new IndexOutOfBoundsException("layer " + layer + " has no activation; layers with one are 1.."
                    + (units.length - 1));
        }
        return activations[layer - 1];
    }

    /** The activations of layers 1 .. layers() − 1, in order. */
    public List<Activation> activations() {
        return Collections.unmodifiableList(Arrays.asList(activations.clone()));
    }

    /** Whether each non-output layer has a bias unit a_0 = 1. */
    public boolean bias() {
        return bias;
    }

    /** The cost J. */
    public Cost cost() {
        return cost;
    }

    /** The number of weight matrices, {@code layers() - 1}. */
    public int weightMatrices() {
        return units.length - 1;
    }

    /** Rows of weight matrix {@code w}: the units of layer {@code w + 1}. */
    public int weightRows(int w) {
        checkMatrix(w);
        return units[w + 1];
    }

    /** Columns of weight matrix {@code w}: the units of layer {@code w}, plus one for the bias unit if on. */
    public int weightColumns(int w) {
        checkMatrix(w);
        return units[w] + (bias ? 1 : 0);
    }

    /** Where weight matrix {@code w} starts in the flat parameter array. */
    public int weightOffset(int w) {
        checkMatrix(w);
        return offsets[w];
    }

    /** The length of the flat parameter array: every weight of every matrix, bias columns included. */
    public int parameterCount() {
        return parameterCount;
    }

    /** Whether the flat parameter at {@code index} multiplies a bias unit (column 0 of its matrix). */
    public boolean isBiasWeight(int index) {
        if (index < 0 || index >= parameterCount) {
            throw new IndexOutOfBoundsException("parameter " + index + " of " + parameterCount);
        }
        if (!bias) {
            return false;
        }
        int w = 0;
        while (offsets[w + 1] <= index) {
            w++;
        }
        return (index - offsets[w]) % weightColumns(w) == 0;
    }

    private void checkMatrix(int w) {
        if (w < 0 || w >= units.length - 1) {
            throw new IndexOutOfBoundsException("weight matrix " + w + " does not exist; this network has "
                    + (units.length - 1) + " (0.." + (units.length - 2) + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Network other
                && Arrays.equals(units, other.units)
                && Arrays.equals(activations, other.activations)
                && bias == other.bias
                && cost == other.cost;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(units), Arrays.hashCode(activations), bias, cost);
    }

    /** For example {@code 784-256-10 [relu, softmax] bias cross-entropy}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int l = 0; l < units.length; l++) {
            s.append(l == 0 ? "" : "-").append(units[l]);
        }
        return s.append(' ').append(Arrays.toString(activations)).append(bias ? " bias " : " no-bias ")
                .append(cost).toString();
    }

    /**
     * The network in a line for people: "784-256-128-10 relu, softmax + cross-entropy" (the hidden layers'
     * activation, the output's, the cost, and ", no bias units" without them).
     */
    public String describe() {
        StringBuilder s = new StringBuilder();
        for (int l = 0; l < layers(); l++) {
            s.append(l == 0 ? "" : "-").append(units(l));
        }
        s.append(' ');
        if (layers() > 2) {
            s.append(activation(1)).append(", ");
        }
        return s.append(activation(layers() - 1)).append(" + ").append(cost).append(bias ? "" : ", no bias units")
                .toString();
    }

    /** Builds and validates a {@link Network}. */
    public static final class Builder {
        private final int[] units;
        private List<Activation> activations;
        private Activation hidden = Activation.SIGMOID;
        private Activation output;
        private boolean bias = true;
        private Cost cost = Cost.HALF_SSE;

        private Builder(int[] units) {
            this.units = units == null ? new int[0] : units.clone();
        }

        /** The same activation on every non-input layer (the default is the sigmoid). */
        public Builder activation(Activation activation) {
            this.hidden = Objects.requireNonNull(activation, "activation");
            this.output = null;
            this.activations = null;
            return this;
        }

        /** One activation per non-input layer, in order. */
        public Builder activations(List<Activation> perLayer) {
            this.activations = new ArrayList<>(Objects.requireNonNull(perLayer, "activations"));
            return this;
        }

        /** The activation of the hidden layers, keeping the output layer's own. */
        public Builder hiddenActivation(Activation activation) {
            this.hidden = Objects.requireNonNull(activation, "activation");
            this.activations = null;
            return this;
        }

        /** The activation of the output layer, keeping the hidden layers'. */
        public Builder outputActivation(Activation activation) {
            this.output = Objects.requireNonNull(activation, "activation");
            this.activations = null;
            return this;
        }

        /** Bias units on (the default) or off (docs/MATH.md, "Without bias units"). */
        public Builder bias(boolean on) {
            this.bias = on;
            return this;
        }

        /** The cost; the default is the half squared error. */
        public Builder cost(Cost cost) {
            this.cost = Objects.requireNonNull(cost, "cost");
            return this;
        }

        /** A classifier: softmax output with the cross-entropy cost. */
        public Builder softmaxCrossEntropy() {
            return outputActivation(Activation.SOFTMAX).cost(Cost.CROSS_ENTROPY);
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException with a message that says what is wrong with the description
         */
        public Network build() {
            if (units.length < 2) {
                throw new IllegalArgumentException("a network needs at least 2 layers (input and output), got "
                        + units.length + " " + Arrays.toString(units));
            }
            for (int l = 0; l < units.length; l++) {
                if (units[l] < 1) {
                    throw new IllegalArgumentException("layer " + l + " of " + Arrays.toString(units) + " has "
                            + units[l] + " units; every layer needs at least 1");
                }
            }
            int nonInput = units.length - 1;
            Activation[] perLayer = new Activation[nonInput];
            if (activations != null) {
                if (activations.size() != nonInput) {
                    throw new IllegalArgumentException(activations.size() + " activations given for the "
                            + nonInput + " non-input layers of " + Arrays.toString(units));
                }
                for (int l = 0; l < nonInput; l++) {
                    perLayer[l] = Objects.requireNonNull(activations.get(l), "activation of layer " + (l + 1));
                }
            } else {
                Arrays.fill(perLayer, hidden);
                if (output != null) {
                    perLayer[nonInput - 1] = output;
                }
            }
            for (int l = 0; l < nonInput - 1; l++) {
                if (perLayer[l] == Activation.SOFTMAX) {
                    throw new IllegalArgumentException("softmax is only allowed on the output layer, but hidden layer "
                            + (l + 1) + " of " + Arrays.toString(units) + " has it");
                }
            }
            Activation out = perLayer[nonInput - 1];
            if (out == Activation.SOFTMAX && cost != Cost.CROSS_ENTROPY) {
                throw new IllegalArgumentException(
                        "a softmax output layer needs the cross-entropy cost, not " + cost);
            }
            if (cost == Cost.CROSS_ENTROPY && out != Activation.SOFTMAX) {
                throw new IllegalArgumentException(
                        "the cross-entropy cost needs a softmax output layer, not " + out);
            }
            if (out == Activation.SOFTMAX && units[units.length - 1] < 2) {
                throw new IllegalArgumentException(
                        "softmax over a single output unit is always 1; use at least 2 output units or a sigmoid");
            }
            long count = 0;
            for (int l = 0; l < nonInput; l++) {
                count += (long) units[l + 1] * (units[l] + (bias ? 1 : 0));
            }
            if (count > MAX_PARAMETERS) {
                throw new IllegalArgumentException("the network " + Arrays.toString(units) + " has " + count
                        + " weights, more than one Java array can hold (" + MAX_PARAMETERS + ")");
            }
            return new Network(units.clone(), perLayer, bias, cost);
        }
    }
}
