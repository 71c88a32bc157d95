package dev.backprop.parallel;

import dev.backprop.core.RangeTask;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs element-wise work (an optimizer's update) over a range in slices, one
 * per thread, on the calling thread and the pool's workers. The slices are claimed from a counter by
 * whichever thread comes first: the caller takes the first and then any slice no worker has claimed yet,
 * so a run never waits for a worker that has not started (a wake-up can take longer than the whole
 * run) and can never hang on one that is not coming. The caller waits only for slices a worker is
 * running, spinning briefly and then parking in short naps. The workers' tasks are made once and
 * resubmitted only once done, so a run allocates nothing; a task still queued from an earlier run helps
 * with the current one when it runs.
 *
 * <p>How the range is cut does not change a bit of an element-wise task's result; slices start at
 * multiples of 8 indices so that two threads never write one cache line of doubles.
 */
final class SliceRunner {
    private static final long SPIN_NANOS = 200_000;
    private static final long NAP_NANOS = 50_000;
    /** The counter between runs: far above any slice, and far below overflow however many late claims add to it. */
    private static final int CLOSED = 1 << 30;

    private final ForkJoinPool pool;
    private final int parts;
    private final Helper[] helpers;
    private final AtomicInteger next = new AtomicInteger(CLOSED);
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    // The run in progress; written before next is reset, which publishes them to the threads that claim a slice.
    private RangeTask task;
    private int size;

    /** Slices for {@code threads} threads: the caller and {@code threads} − 1 of {@code pool}'s workers. */
    SliceRunner(ForkJoinPool pool, int threads) {
        this.pool = pool;
        this.parts = pool == null ? 1 : threads;
        this.helpers = new Helper[parts - 1];
        for (int s = 0; s < helpers.length; s++) {
            helpers[s] = new Helper();
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
        failure.set(null);
        done.set(0);
        next.set(0);
        for (Helper h : helpers) {
            if (h.isDone()) {
                h.reinitialize();
                pool.execute(h);
            }
        }
        work();
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (done.get() < parts) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, NAP_NANOS);
            }
        }
        next.set(CLOSED); // a helper that runs late finds nothing to claim
        this.task = null;
        Throwable t = failure.getAndSet(null);
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /** Claims and runs slices until none is left; each slice is counted done, failed or not. */
    private void work() {
        int s;
        while ((s = next.getAndIncrement()) < parts) {
            try {
                task.run(bound(s), bound(s + 1));
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            } finally {
                done.incrementAndGet();
            }
        }
    }

    /** Where slice s begins; slice {@code parts} is the end of the range. */
    private int bound(int s) {
        return s == parts ? size : (int) ((long) size * s / parts) & ~7;
    }

    /** A worker's share: it claims slices like the caller does. */
    private final class Helper extends RecursiveAction {
        private static final long serialVersionUID = 1L;

        @Override
        protected void compute() {
            work();
        }
    }
}
