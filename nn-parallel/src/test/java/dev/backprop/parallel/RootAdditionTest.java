package dev.backprop.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.core.SeededRandom;
import org.junit.jupiter.api.Test;

class RootAdditionTest {
    private static double[] random(int n, long seed) {
        SeededRandom r = new SeededRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian() * 1e3;
        }
        return a;
    }

    @Test
    void thePiecesSharedByTwoThreadsGiveTheBitsOfTheMerges() throws Exception {
        int n = 1037; // not a multiple of the pieces
        double[] l = random(n, 1);
        double[] r = random(n, 2);
        double[] start = random(n, 3);
        for (boolean replace : new boolean[] {false, true}) {
            // What the merges give: left.merge(right), then into.merge(left) (into reset first when replacing).
            double[] expected = replace ? new double[n] : start.clone();
            for (int i = 0; i < n; i++) {
                expected[i] += l[i] + r[i];
            }
            double[] sum = start.clone();
            RootAddition addition = new RootAddition();
            addition.begin(7);
            addition.open(7);
            Thread helper = new Thread(() -> take(addition, 7, sum, replace, l, r));
            helper.start();
            take(addition, 7, sum, replace, l, r);
            helper.join();
            addition.awaitAll();
            addition.closeAndDrain(7);
            assertArrayEquals(expected, sum, 0.0, "replace " + replace);
        }
    }

    private static void take(RootAddition addition, int call, double[] sum, boolean replace, double[] l, double[] r) {
        for (int piece; (piece = addition.take(call)) >= 0; ) {
            RootAddition.add(sum, replace, l, r, piece);
            addition.pieceDone();
        }
    }

    @Test
    void noPieceIsGivenBeforeTheAdditionOpensNorToAnotherCallNorAfterItCloses() {
        RootAddition addition = new RootAddition();
        assertEquals(-1, addition.take(0), "not open at first");
        addition.begin(3);
        assertEquals(-1, addition.take(3), "not open until both children are complete");
        addition.open(3);
        assertEquals(-1, addition.take(2), "a late worker of call 2 takes nothing of call 3");
        for (int piece = 0; piece < RootAddition.PIECES; piece++) {
            assertEquals(piece, addition.take(3));
            addition.pieceDone();
        }
        assertEquals(-1, addition.take(3), "every piece taken");
        addition.begin(4);
        addition.open(4);
        assertEquals(0, addition.take(4));
        addition.pieceDone();
        addition.closeAndDrain(4); // waits for the one taken piece only, which is done
        assertEquals(-1, addition.take(4), "closed after the call");
    }
}
