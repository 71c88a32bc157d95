package dev.backprop.core;

/** The cost J whose gradient the engines compute. */
public enum Cost {
    /**
     * J_i = Σ_k ½ (h(x_i)_k − y_ik)², the cost of docs/MATH.md and the default; δ^(L) = (a^(L) − y) .* g'(z^(L)).
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

    /**
     * J_i of one example from the network's outputs (its {@code targets.length} values from {@code offset})
     * and the targets: for monitoring (validation loss), where the engines' own sums are not at hand. The
     * cross-entropy takes ln of the output itself, floored at the smallest normal double.
     */
    public double of(double[] outputs, int offset, double[] targets) {
        double j = 0.0;
        for (int k = 0; k < targets.length; k++) {
            double a = outputs[offset + k];
            if (this == HALF_SSE) {
                double e = a - targets[k];
                j += 0.5 * e * e;
            } else if (targets[k] != 0.0) {
                j -= targets[k] * StrictMath.log(Math.max(a, Double.MIN_NORMAL));
            }
        }
        return j;
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
        return Ids.parse(values(), Cost::id, name, "cost");
    }
}
