package dev.backprop.parallel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The float32 weights of a call, loaded in slices by whichever threads reach a chunk first: done by the
 * caller alone the conversion was a tenth of a one-thread call at batch 256. There are a few slices per
 * thread, taken as they come, so that the caller loads more of them while a worker is still waking up
 * instead of waiting for the worker's one slice. The atomic counters publish the loaded weights to every
 * thread that returns from {@link #ensureLoaded()}.
 */
final class SlicedLoad {
    /** Loads slice {@code slice} of {@code slices}; records rather than throws a failure. */
    interface Loader {
        void load(int slice, int slices);
    }

    private final Loader loader;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    // Written by the caller before the tree runs; the pool's submission publishes it to the workers.
    private int slices;

    SlicedLoad(Loader loader) {
        this.loader = loader;
    }

    /** Starts a call's load in {@code slices} slices, none taken yet. */
    void begin(int slices) {
        if (slices < 1) {
            throw new IllegalArgumentException("the weights load in at least 1 slice, got " + slices);
        }
        this.slices = slices;
        next.set(0);
        done.set(0);
    }

    /**
     * Returns once every slice is loaded: takes slices no one has taken yet and loads them, then waits for
     * the slices others are loading (short: a slice is a fraction of a chunk's work).
     */
    void ensureLoaded() {
        if (done.get() == slices) {
            return;
        }
        for (int slice; (slice = next.getAndIncrement()) < slices; ) {
            loader.load(slice, slices);
            done.incrementAndGet();
        }
        for (int spins = 0; done.get() < slices; spins++) {
            Waits.pause(spins);
        }
    }
}
