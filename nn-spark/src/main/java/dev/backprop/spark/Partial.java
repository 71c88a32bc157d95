package dev.backprop.spark;

import dev.backprop.core.GradientSum;
import java.io.Serializable;

/** A {@link GradientSum} as it travels between executors and the driver. */
final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double[] delta;
    private double loss;
    private long count;

    Partial(GradientSum sum) {
        this.delta = sum.deltaSum().clone();
        this.loss = sum.lossSum();
        this.count = sum.count();
    }

    /**
     * Adds {@code other} into this one. Each element is one IEEE addition, which is commutative: merging
     * exactly two partials gives the same bits in either order, which the tree reduction relies on.
     */
    Partial merge(Partial other) {
        for (int i = 0; i < delta.length; i++) {
            delta[i] += other.delta[i];
        }
        loss += other.loss;
        count += other.count;
        return this;
    }

    GradientSum toGradientSum() {
        GradientSum sum = GradientSum.zeros(delta.length);
        System.arraycopy(delta, 0, sum.deltaSum(), 0, delta.length);
        sum.addExamples(count, loss);
        return sum;
    }
}
