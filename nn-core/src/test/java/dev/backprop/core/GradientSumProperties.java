package dev.backprop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Merging partial sums: any grouping agrees with the left-to-right sum within rounding, and one fixed
 * grouping gives the same bits every time it is evaluated, which is what lets the parallel engine promise
 * the same gradient on any thread count.
 */
class GradientSumProperties {
    private static final int WEIGHTS = 23;

    @Provide
    Arbitrary<List<double[]>> partials() {
        return Arbitraries.doubles().between(-1e6, 1e6).array(double[].class).ofSize(WEIGHTS + 1)
                .list().ofMinSize(1).ofMaxSize(40);
    }

    /** A sum of one example: Δ from the first values, J from the last. */
    private static GradientSum sum(double[] values) {
        GradientSum s = GradientSum.zeros(WEIGHTS);
        System.arraycopy(values, 0, s.deltaSum(), 0, WEIGHTS);
        s.addExamples(1, Math.abs(values[WEIGHTS]));
        return s;
    }

    /** Merges parts [from, to) in the tree that {@code splits} describes, deterministically. */
    private static GradientSum tree(List<double[]> parts, int from, int to, long splits) {
        if (to - from == 1) {
            return sum(parts.get(from));
        }
        int mid = from + 1 + (int) Math.floorMod(splits ^ (from * 31L + to), (long) (to - from - 1));
        return tree(parts, from, mid, splits * 6364136223846793005L + 1).merge(tree(parts, mid, to, splits + 7));
    }

    @Property(tries = 500)
    void anyGroupingAgreesWithTheSequentialSumWithinRounding(@ForAll("partials") List<double[]> parts, @ForAll long splits) {
        GradientSum sequential = GradientSum.zeros(WEIGHTS);
        double[] magnitude = new double[WEIGHTS];
        for (double[] p : parts) {
            sequential.merge(sum(p));
            for (int i = 0; i < WEIGHTS; i++) {
                magnitude[i] += Math.abs(p[i]);
            }
        }
        GradientSum grouped = tree(parts, 0, parts.size(), splits);
        assertEquals(sequential.count(), grouped.count());
        for (int i = 0; i < WEIGHTS; i++) {
            // The classic bound for a sum of n terms in any order: (n − 1) u Σ|x|.
            double bound = (parts.size() - 1) * Math.ulp(1.0) * magnitude[i];
            assertEquals(sequential.deltaSum()[i], grouped.deltaSum()[i], bound, "Δ[" + i + "]");
        }
        assertEquals(sequential.lossSum(), grouped.lossSum(), parts.size() * Math.ulp(1.0) * sequential.lossSum());
    }

    @Property(tries = 300)
    void aFixedGroupingGivesTheSameBitsEveryTime(@ForAll("partials") List<double[]> parts, @ForAll long splits) {
        GradientSum first = tree(parts, 0, parts.size(), splits);
        GradientSum second = tree(parts, 0, parts.size(), splits);
        assertArrayEquals(first.deltaSum(), second.deltaSum(), 0.0);
        assertEquals(Double.doubleToRawLongBits(first.lossSum()), Double.doubleToRawLongBits(second.lossSum()));
        assertArrayEquals(first.gradient(), second.gradient(), 0.0);
    }

    @Property(tries = 100)
    void mergingIntoAResetSumIsTheSameAsAFreshOne(@ForAll("partials") List<double[]> parts,
            @ForAll @IntRange(min = 0, max = 39) int reuse) {
        GradientSum reused = sum(parts.get(reuse % parts.size()));
        reused.reset();
        GradientSum fresh = GradientSum.zeros(WEIGHTS);
        for (double[] p : parts) {
            reused.merge(sum(p));
            fresh.merge(sum(p));
        }
        assertArrayEquals(fresh.deltaSum(), reused.deltaSum(), 0.0);
        assertEquals(fresh.count(), reused.count());
    }
}
