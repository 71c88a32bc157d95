package dev.backprop.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The root's addition, sum += left + right, cut into {@link #PIECES} pieces that the caller and a worker
 * which computed one of the root's children take as they come: at two chunks (a batch of 256) the addition
 * was a serial tenth of a 2-thread call, with the worker idle. Every element gets the same additions in the
 * same order however the pieces are shared, so the bits do not depend on who took which.
 *
 * <p>One long holds the call's number in the high half and the next piece in the low half
 * ({@link #NOT_OPEN} until both children are complete), so a worker still finishing an earlier call can
 * never take a piece of this one.
 */
final class RootAddition {
    /** Pieces of the addition. */
    static final int PIECES = 8;
    /** The low half while no piece may be taken. */
    private static final long NOT_OPEN = Integer.MAX_VALUE;

    private final AtomicLong next = new AtomicLong(NOT_OPEN);
    private final AtomicInteger done = new AtomicInteger();

    /** At the start of call {@code call}: closed, no piece done. */
    void begin(int call) {
        next.set((long) call << 32 | NOT_OPEN);
        done.set(0);
    }

    /** Both of the root's children are complete: the pieces of call {@code call} may be taken. */
    void open(int call) {
        next.set((long) call << 32);
    }

    /** The next piece of call {@code call} to add, or −1 when the addition is not open, is done, or is another call's. */
    int take(int call) {
        for (long n = next.get(); ; n = next.get()) {
            long piece = n & 0xFFFF_FFFFL;
            if ((int) (n >>> 32) != call || piece >= PIECES) {
                return -1;
            }
            if (next.compareAndSet(n, n + 1)) {
                return (int) piece;
            }
        }
    }

    /** A piece that {@link #take} gave is added. */
    void pieceDone() {
        done.incrementAndGet();
    }

    /** Waits for every piece to be added (a worker's last piece, a few microseconds). */
    void awaitAll() {
        for (int spins = 0; done.get() < PIECES; spins++) {
            Waits.pause(spins);
        }
    }

    /**
     * Closes call {@code call}'s addition, so that no piece may be taken after the call, and waits for any
     * piece taken before (after a failure or an interrupt a worker may hold one).
     */
    void closeAndDrain(int call) {
        long before = next.getAndSet((long) call << 32 | NOT_OPEN);
        long taken = (before & 0xFFFF_FFFFL) == NOT_OPEN ? 0 : Math.min(PIECES, before & 0xFFFF_FFFFL);
        for (int spins = 0; done.get() < taken; spins++) {
            Waits.pause(spins);
        }
    }

    /**
     * Piece {@code piece} of {@code sum} += l + r, in one pass: the root of the tree is not merged by its
     * completion, so that the caller's sum gets left + right without the pass that would first write it into
     * left. The same additions in the same order as left.merge(right) and then sum.merge(left), so the same
     * bits, however the range is cut into pieces. With {@code replace}, sum = 0.0 + (l + r): the bits of a
     * reset sum's merge, without reading it.
     */
    static void add(double[] sum, boolean replace, double[] l, double[] r, int piece) {
        add(sum, replace, l, null, r, null, piece);
    }

    /**
     * Piece {@code piece} of the root's addition over operands that are each a double sum ({@code l}, {@code
     * r}) or a chunk's float32 Δ ({@code lf}, {@code rf}, the other one null), a float entering as 0.0 + f, the
     * double a chunk's sum would have held: the bits of {@link #add(double[], boolean, double[], double[], int)}
     * over those doubles.
     */
    static void add(double[] sum, boolean replace, double[] l, float[] lf, double[] r, float[] rf, int piece) {
        int start = (int) ((long) sum.length * piece / PIECES);
        int end = (int) ((long) sum.length * (piece + 1) / PIECES);
        if (l != null && r != null) {
            addDoubles(sum, replace, l, r, start, end);
        } else if (lf != null && rf != null) {
            if (replace) {
                for (int i = start; i < end; i++) {
                    sum[i] = 0.0 + ((0.0 + lf[i]) + (0.0 + rf[i]));
                }
            } else {
                for (int i = start; i < end; i++) {
                    sum[i] += (0.0 + lf[i]) + (0.0 + rf[i]);
                }
            }
        } else if (l != null) {
            if (replace) {
                for (int i = start; i < end; i++) {
                    sum[i] = 0.0 + (l[i] + (0.0 + rf[i]));
                }
            } else {
                for (int i = start; i < end; i++) {
                    sum[i] += l[i] + (0.0 + rf[i]);
                }
            }
        } else if (replace) {
            for (int i = start; i < end; i++) {
                sum[i] = 0.0 + ((0.0 + lf[i]) + r[i]);
            }
        } else {
            for (int i = start; i < end; i++) {
                sum[i] += (0.0 + lf[i]) + r[i];
            }
        }
    }

    /**
     * into = left + right over a whole inner node of the tree, where {@code into} is the array of one of the
     * operands or a free one: each element is read before it is written, so writing over an operand is safe.
     */
    static void add(double[] into, double[] l, float[] lf, double[] r, float[] rf) {
        int n = into.length;
        if (l != null && r != null) {
            for (int i = 0; i < n; i++) {
                into[i] = l[i] + r[i];
            }
        } else if (lf != null && rf != null) {
            for (int i = 0; i < n; i++) {
                into[i] = (0.0 + lf[i]) + (0.0 + rf[i]);
            }
        } else if (l != null) {
            for (int i = 0; i < n; i++) {
                into[i] = l[i] + (0.0 + rf[i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                into[i] = (0.0 + lf[i]) + r[i];
            }
        }
    }

    private static void addDoubles(double[] sum, boolean replace, double[] l, double[] r, int start, int end) {
        if (replace) {
            for (int i = start; i < end; i++) {
                sum[i] = 0.0 + (l[i] + r[i]);
            }
        } else {
            for (int i = start; i < end; i++) {
                sum[i] += l[i] + r[i];
            }
        }
    }
}
