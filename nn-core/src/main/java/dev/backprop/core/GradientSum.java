package dev.backprop.core;

/**
 * Δ summed over some examples, with the summed cost and the number of examples: the partial result every
 * engine produces and every reduction combines (ARCHITECTURE.md, "The contract").
 *
 * <p>Δ is a sum, so partial sums over disjoint parts of a batch can be {@linkplain #merge merged} in any
 * grouping; the result agrees within rounding, and a fixed grouping gives the same bits every time. The
 * division D = Δ/m is taken once, by {@link #gradient()}, never inside an engine.
 *
 * <p>Mutable and not thread-safe: one per worker, reused from call to call with {@link #reset()}.
 */
public final class GradientSum {
    private final double[] deltaSum;
    private double lossSum;
    private long count;

    private GradientSum(double[] deltaSum) {
        this.deltaSum = deltaSum;
    }

    /** An empty sum for {@code parameterCount} weights. */
    public static GradientSum zeros(int parameterCount) {
        return new GradientSum(new double[parameterCount]);
    }

    /** An empty sum shaped for {@code network}'s weights. */
    public static GradientSum zeros(Network network) {
        return zeros(network.parameterCount());
    }

    /** Δ in the layout of the parameters (not a copy): engines add into it. */
    public double[] deltaSum() {
        return deltaSum;
    }

    /** Σ_i J_i over the examples added so far. */
    public double lossSum() {
        return lossSum;
    }

    /** m, the number of examples added so far. */
    public long count() {
        return count;
    }

    /** Records that {@code examples} more examples with total cost {@code loss} were added to Δ. */
    public void addExamples(long examples, double loss) {
        this.count += examples;
        this.lossSum += loss;
    }

    /**
     * Sets m and Σ J_i, for an engine that has just written Δ over the previous contents of
     * {@link #deltaSum()} (so that a reused sum needs no zeroing pass).
     */
    public void setTotals(long examples, double loss) {
        this.count = examples;
        this.lossSum = loss;
    }

    /**
     * Adds {@code other} into this sum and returns this: Δ += Δ', cost += cost', m += m'. Associative up to
     * floating-point rounding.
     */
    public GradientSum merge(GradientSum other) {
        if (other.deltaSum.length != deltaSum.length) {
            throw new IllegalArgumentException("cannot merge a gradient sum of " + other.deltaSum.length
                    + " weights into one of " + deltaSum.length);
        }
        for (int i = 0; i < deltaSum.length; i++) {
            deltaSum[i] += other.deltaSum[i];
        }
        lossSum += other.lossSum;
        count += other.count;
        return this;
    }

    /** Back to Δ = 0, no cost, no examples. */
    public void reset() {
        java.util.Arrays.fill(deltaSum, 0.0);
        lossSum = 0.0;
        count = 0;
    }

    /** D = Δ / m, as a new array. */
    public double[] gradient() {
        double[] d = new double[deltaSum.length];
        gradientInto(d);
        return d;
    }

    /** D = Δ / m, written into {@code d}. */
    public void gradientInto(double[] d) {
        requireExamples();
        if (d.length != deltaSum.length) {
            throw new IllegalArgumentException("gradient array has " + d.length + " entries, expected " + deltaSum.length);
        }
        double m = count;
        for (int i = 0; i < d.length; i++) {
            d[i] = deltaSum[i] / m;
        }
    }

    /** J = (1/m) Σ_i J_i. */
    public double loss() {
        requireExamples();
        return lossSum / count;
    }

    /** An independent copy. */
    public GradientSum copy() {
        GradientSum c = new GradientSum(deltaSum.clone());
        c.lossSum = lossSum;
        c.count = count;
        return c;
    }

    private void requireExamples() {
        if (count == 0) {
            throw new IllegalStateException("no examples have been accumulated; D = Δ/m needs m > 0");
        }
    }
}
