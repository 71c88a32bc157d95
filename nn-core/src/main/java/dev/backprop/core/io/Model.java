package dev.backprop.core.io;

import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A trained network as stored in a model file: the description, a copy of the weights, and where it came
 * from (data, seed, settings) as text key–value pairs. Immutable.
 */
public final class Model {
    private final Parameters parameters;
    private final Map<String, String> provenance;

    /** A snapshot of {@code parameters} (copied) with its provenance (copied, sorted by key). */
    public Model(Parameters parameters, Map<String, String> provenance) {
        this.parameters = Objects.requireNonNull(parameters, "parameters").copy();
        Map<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : provenance.entrySet()) {
            sorted.put(Objects.requireNonNull(e.getKey(), "provenance key"),
                    Objects.requireNonNull(e.getValue(), "provenance value of " + e.getKey()));
        }
        this.provenance = Collections.unmodifiableMap(sorted);
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

    @Override
    public boolean equals(Object o) {
        return o instanceof Model other && parameters.equals(other.parameters) && provenance.equals(other.provenance);
    }

    @Override
    public int hashCode() {
        return 31 * parameters.hashCode() + provenance.hashCode();
    }

    @Override
    public String toString() {
        return "Model[" + network() + ", " + provenance + "]";
    }
}
