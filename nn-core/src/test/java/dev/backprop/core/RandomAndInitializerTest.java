package dev.backprop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RandomAndInitializerTest {

    @Test
    void splitMix64MatchesItsPublishedSequence() {
        // The first outputs of SplitMix64 from seed 0, as in Vigna's reference C code.
        SeededRandom r = new SeededRandom(0);
        assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
        assertEquals(0x06C45D188009454FL, r.nextLong());
    }

    @Test
    void stateRestoresTheSequence() {
        SeededRandom a = new SeededRandom(42);
        a.nextLong();
        SeededRandom b = SeededRandom.fromState(a.state());
        assertEquals(a.nextLong(), b.nextLong());
        assertEquals(a.nextGaussian(), b.nextGaussian(), 0.0);
    }

    @Test
    void nextIntIsInRangeAndCoversIt() {
        SeededRandom r = new SeededRandom(7);
        int[] counts = new int[7];
        for (int i = 0; i < 7000; i++) {
            counts[r.nextInt(7)]++;
        }
        for (int c : counts) {
            assertTrue(c > 850 && c < 1150, Arrays.toString(counts));
        }
    }

    @Test
    void gaussianHasMeanZeroAndUnitVariance() {
        SeededRandom r = new SeededRandom(3);
        double sum = 0, squares = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            sum += g;
            squares += g * g;
        }
        assertEquals(0.0, sum / n, 0.01);
        assertEquals(1.0, squares / n, 0.01);
    }

    @Test
    void shuffleIsAPermutationFixedByTheSeed() {
        int[] a = new int[50];
        Arrays.setAll(a, i -> i);
        int[] b = a.clone();
        new SeededRandom(9).shuffle(a);
        new SeededRandom(9).shuffle(b);
        assertArrayEquals(a, b);
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertNotEquals(0, a[0] + a[1] - 1, "a shuffle of 50 moved nothing");
    }

    @Test
    void sameSeedGivesTheSameWeightsAndBiasWeightsStartAtZero() {
        Network n = Network.of(20, 10, 4);
        Parameters a = Parameters.initialize(n, Initializer.xavier(), 5);
        Parameters b = Parameters.initialize(n, Initializer.xavier(), 5);
        Parameters c = Parameters.initialize(n, Initializer.xavier(), 6);
        assertEquals(a, b);
        assertNotEquals(a, c);
        for (int i = 0; i < n.parameterCount(); i++) {
            double w = a.values()[i];
            double limit = i < n.weightOffset(1) ? Math.sqrt(6.0 / (20 + 10)) : Math.sqrt(6.0 / (10 + 4));
            if (n.isBiasWeight(i)) {
                assertEquals(0.0, w, 0.0);
            } else {
                assertTrue(Math.abs(w) <= limit, "xavier weight " + w + " beyond " + limit);
            }
        }
    }

    @Test
    void heHasTheStandardDeviationOfItsFanIn() {
        Network n = Network.of(400, 300, 1);
        double[] w = Parameters.initialize(n, Initializer.he(), 1).values();
        double squares = 0;
        int count = 0;
        for (int i = 0; i < n.weightOffset(1); i++) {
            if (!n.isBiasWeight(i)) {
                squares += w[i] * w[i];
                count++;
            }
        }
        assertEquals(2.0 / 400, squares / count, 0.05 * 2.0 / 400);
    }

    @Test
    void uniformDrawsBiasWeightsToo() {
        Network n = Network.of(3, 3, 1);
        Parameters p = Parameters.initialize(n, Initializer.uniform(0.12), 8);
        assertNotEquals(0.0, p.values()[0]);
        for (double w : p.values()) {
            assertTrue(Math.abs(w) <= 0.12);
        }
        assertEquals("uniform(0.12)", Initializer.parse("uniform:0.12").toString());
    }
}
