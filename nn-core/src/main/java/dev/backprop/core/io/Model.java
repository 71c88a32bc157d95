package dev.backprop.core.io;

import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.tabular.Preprocessing;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A trained network as stored in a model file: the description, a copy of the weights, and where it came
 * from (data, seed, settings) as text key–value pairs, and for a model trained on a table, the
 * {@link Preprocessing} that turns a row into its input. Immutable.
 */
public final class Model {
    private final Parameters parameters;
    private final Map<String, String> provenance;
    private final Preprocessing preprocessing;

    /**
     * A snapshot of {@code parameters} (copied) with its provenance (copied, sorted by key).
     *
     * @throws IllegalArgumentException if a key or value is not valid Unicode text (an unpaired surrogate),
     *     which a model file, in UTF-8, could not give back as it was
     */
    public Model(Parameters parameters, Map<String, String> provenance) {
        this(parameters, provenance, null);
    }

    /**
     * As {@link #Model(Parameters, Map)}, with the preprocessing of a table ({@code null} for none), whose
     * input and output sizes must be the network's.
     */
    public Model(Parameters parameters, Map<String, String> provenance, Preprocessing preprocessing) {
        Network network = parameters.network();
        if (preprocessing != null && (preprocessing.inputSize() != network.units(0)
                || preprocessing.target().outputs() != network.units(network.layers() - 1))) {
            throw new IllegalArgumentException("the preprocessing makes " + preprocessing.inputSize() + " inputs and reads "
                    + preprocessing.target().outputs() + " outputs, but the network is " + network);
        }
        this.preprocessing = preprocessing;
        this.parameters = Objects.requireNonNull(parameters, "parameters").copy();
        Map<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : provenance.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "provenance key");
            String value = Objects.requireNonNull(e.getValue(), "provenance value of " + key);
            checkText(key, "provenance key");
            checkText(value, "provenance value of " + key);
            sorted.put(key, value);
        }
        this.provenance = Collections.unmodifiableMap(sorted);
    }

    private static void checkText(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a pair: one code point
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " has an unpaired surrogate at index " + i
                        + "; it is not valid Unicode text");
            }
        }
    }

    /** The network description. */
    public Network network() {
        return parameters.network();
    }

    /** A new, independent copy of the weights, to predict with or to train further. */
    public Parameters parameters() {
        return parameters.copy();
    }

    /** Where the model came from, sorted by key. */
    public Map<String, String> provenance() {
        return provenance;
    }

    /** The preprocessing of a model trained on a table; empty for one trained on arrays (images, say). */
    public Optional<Preprocessing> preprocessing() {
        return Optional.ofNullable(preprocessing);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Model other && parameters.equals(other.parameters) && provenance.equals(other.provenance)
                && Objects.equals(preprocessing, other.preprocessing);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * parameters.hashCode() + provenance.hashCode()) + Objects.hashCode(preprocessing);
    }

    @Override
    public String toString() {
        return "Model[" + network() + ", " + provenance + "]";
    }
}
