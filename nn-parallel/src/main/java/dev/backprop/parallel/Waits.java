package dev.backprop.parallel;

import java.util.concurrent.ForkJoinTask;

/**
 * The short waits of a call: spin for a little, then yield. If the thread being waited for was descheduled
 * (a busy machine), spinning would hold the very core it needs, which a profile showed costing more than a
 * chunk.
 */
final class Waits {
    /** Spins before the wait starts yielding. */
    static final int SPINS_BEFORE_YIELD = 100;
    /** How long the caller (and a worker beside the root) waits for the others without parking. */
    static final long SPIN_NANOS = 200_000;

    private Waits() {
    }

    /** One step of a short wait: a spin for the first {@link #SPINS_BEFORE_YIELD} steps, then a yield. */
    static void pause(int spins) {
        if (spins < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** Waits for {@code task}'s completion mark, a few instructions after its last step. */
    static void untilDone(ForkJoinTask<?> task) {
        for (int spins = 0; !task.isDone(); spins++) {
            pause(spins);
        }
    }
}
