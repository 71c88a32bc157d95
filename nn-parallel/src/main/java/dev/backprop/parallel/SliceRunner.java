package dev.backprop.parallel;

import dev.backprop.core.RangeTask;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Runs element-wise work (an optimizer's update) over a range in slices, one per thread: the calling
 * thread takes the first, the pool's workers the others. The slices' tasks are made once and
 * reinitialized for every run, so a run allocates nothing. The caller waits for the workers' slices
 * spinning for a short while before it parks, since a run is a fraction of a millisecond and a park's
 * wake-up would be a large part of it.
 *
 * <p>How the range is cut does not change a bit of an element-wise task's result; slices start at
 * multiples of 8 indices so that two threads never write one cache line of doubles (or, for a batch's
 * rows, split fewer of them).
 */
final class SliceRunner {
    private static final long SPIN_NANOS = 200_000;

    private final ForkJoinPool pool;
    private final int parts;
    private final Slice[] workers;
    // The run in progress; written before the slices are submitted, which orders these writes before
    // the workers' reads.
    private RangeTask task;
    private int size;

    /** Slices for {@code threads} threads: the caller and {@code threads} − 1 of {@code pool}'s workers. */
    SliceRunner(ForkJoinPool pool, int threads) {
        this.pool = pool;
        this.parts = pool == null ? 1 : threads;
        this.workers = new Slice[parts - 1];
        for (int s = 1; s < parts; s++) {
            workers[s - 1] = new Slice(s);
        }
    }

    /**
     * Runs {@code task} over {@code [0, size)} and returns when every slice is done; with fewer than
     * {@code grain} indices per thread, all on the calling thread, as the work is not worth a wake-up.
     */
    synchronized void run(int size, int grain, RangeTask task) {
        if (parts == 1 || size / parts < Math.max(1, grain)) {
            task.run(0, size);
            return;
        }
        this.task = task;
        this.size = size;
        Throwable failure = null;
        try {
            for (int s = 1; s < parts; s++) {
                workers[s - 1].reinitialize();
                pool.execute(workers[s - 1]);
            }
            task.run(0, bound(1));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        long deadline = System.nanoTime() + SPIN_NANOS;
        for (Slice w : workers) {
            while (!w.isDone() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            w.quietlyJoin();
            if (failure == null) {
                failure = w.failure;
            }
            w.failure = null;
        }
        this.task = null;
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** Where slice s begins; slice {@code parts} is the end of the range. */
    private int bound(int s) {
        return s == parts ? size : (int) ((long) size * s / parts) & ~7;
    }

    /** A worker's slice; it keeps what its task threw, so that the caller rethrows the exception itself. */
    private final class Slice extends RecursiveAction {
        private final int index;
        private Throwable failure;

        Slice(int index) {
            this.index = index;
        }

        @Override
        protected void compute() {
            try {
                task.run(bound(index), bound(index + 1));
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }
    }
}
