package dev.backprop.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The cost J whose gradient the engines compute. */
public enum Cost {
    /**
     * J_i = Σ_k ½ (h(x_i)_k − y_ik)², the cost of MATH.md and the default; δ^(L) = (a^(L) − y) .* g'(z^(L)).
     */
    HALF_SSE("half-sse"),
    /**
     * J_i = −Σ_k y_ik ln h(x_i)_k with a softmax output layer; δ^(L) = a^(L) − y. Requires
     * {@link Activation#SOFTMAX} on the output layer.
     */
    CROSS_ENTROPY("cross-entropy");

    private final String id;

    Cost(String id) {
        this.id = id;
    }

    /** The name used on the command line and in files. */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }

    /** Parses an {@link #id()}; the message of the exception lists the valid names. */
    public static Cost parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (Cost cost : values()) {
            if (cost.id.equals(wanted)) {
                return cost;
            }
        }
        throw new IllegalArgumentException("unknown cost '" + name + "'; expected one of "
                + Arrays.stream(values()).map(Cost::id).collect(Collectors.joining(", ")));
    }
}
