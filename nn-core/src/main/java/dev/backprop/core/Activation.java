package dev.backprop.core;

/**
 * The activation function g of a layer and its derivative g' (docs/MATH.md, "Activations").
 *
 * <p>{@link #SOFTMAX} is a function of the whole layer, not of one unit, so it has no scalar form; it is
 * only allowed on the output layer together with {@link Cost#CROSS_ENTROPY}, where δ^(L) = a − y needs no
 * g' at all.
 *
 * <p>e^x, tanh and ln are taken from {@link StrictMath}, whose results are specified bit for bit, rather than
 * {@link Math}, whose intrinsics may differ in the last bit between CPUs and JVMs: the reference engine gives
 * the same numbers on every machine.
 */
public enum Activation {
    /** g(z) = 1 / (1 + e^−z), g' = a (1 − a). The sources' g and the default. */
    SIGMOID("sigmoid") {
        @Override
        public double apply(double z) {
            return 1.0 / (1.0 + StrictMath.exp(-z));
        }

        @Override
        public double derivative(double z, double a) {
            return a * (1.0 - a);
        }
    },
    /** g(z) = tanh z, g' = 1 − a². */
    TANH("tanh") {
        @Override
        public double apply(double z) {
            return StrictMath.tanh(z);
        }

        @Override
        public double derivative(double z, double a) {
            return 1.0 - a * a;
        }
    },
    /** g(z) = max(0, z), g' = 1 if z &gt; 0 else 0. */
    RELU("relu") {
        @Override
        public double apply(double z) {
            return z > 0.0 ? z : 0.0;
        }

        @Override
        public double derivative(double z, double a) {
            return z > 0.0 ? 1.0 : 0.0;
        }
    },
    /** g(z) = z, g' = 1. */
    IDENTITY("identity") {
        @Override
        public double apply(double z) {
            return z;
        }

        @Override
        public double derivative(double z, double a) {
            return 1.0;
        }
    },
    /** a_k = e^{z_k} / Σ_j e^{z_j}, output layer only, with the cross-entropy cost. */
    SOFTMAX("softmax") {
        @Override
        public double apply(double z) {
            throw new UnsupportedOperationException("softmax is a function of the whole layer; use softmax(z, a, n)");
        }

        @Override
        public double derivative(double z, double a) {
            throw new UnsupportedOperationException(
                    "softmax is only used with the cross-entropy cost, whose output δ = a − y needs no g'");
        }
    };

    private final String id;

    Activation(String id) {
        this.id = id;
    }

    /** g(z) for one unit. */
    public abstract double apply(double z);

    /**
     * g'(z), given both z and a = g(z) so that each function can use the cheaper form (a (1 − a) for
     * the sigmoid, the sign of z for relu).
     */
    public abstract double derivative(double z, double a);

    /** The name used on the command line and in files: {@code sigmoid}, {@code tanh}, ... */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }

    /**
     * a = softmax(z) over {@code z[from..from+n)}, written to {@code a[from..from+n)}. The largest z is
     * subtracted first so that e^z cannot overflow; the result is the same function.
     */
    public static void softmax(double[] z, double[] a, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = from; k < from + n; k++) {
            max = Math.max(max, z[k]);
        }
        double sum = 0.0;
        for (int k = from; k < from + n; k++) {
            a[k] = StrictMath.exp(z[k] - max);
            sum += a[k];
        }
        for (int k = from; k < from + n; k++) {
            a[k] /= sum;
        }
    }

    /** Parses an {@link #id()}; the message of the exception lists the valid names. */
    public static Activation parse(String name) {
        return Ids.parse(values(), Activation::id, name, "activation");
    }
}
