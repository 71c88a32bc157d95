package dev.backprop.parallel;

import dev.backprop.core.GradientSum;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The call in progress, one object per engine reused by every call. The plain fields are written by the
 * caller before the tree runs and read by the workers (the pool's submission and the tasks' completion
 * order these accesses); the flags are volatile, since the caller and the workers signal each other with
 * them while the call runs.
 */
final class Call {
    /** The call's number, which tells a late worker of an earlier call from one of this call. */
    int number;
    Parameters params;
    DataSet data;
    int from;
    int to;
    int chunkSize;
    /** The chunks the caller computes itself, about 1/threads of them. */
    int callerShare;
    /** Where predictions go, or null when the call computes a gradient. */
    double[] outputs;
    int outputsAt;
    /** The caller's sum, or null when the call predicts. */
    GradientSum into;
    /** Whether {@link #into}'s contents are replaced rather than added to. */
    boolean replace;

    volatile boolean cancelled;
    volatile boolean done;
    /** The calling thread, woken when the tree completes. */
    volatile Thread waiter;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Sets the range and where the results go; the tree's flags are set apart, by {@link #start}. */
    void set(DataSet data, int from, int to, int chunkSize, double[] outputs, int outputsAt) {
        this.data = data;
        this.from = from;
        this.to = to;
        this.chunkSize = chunkSize;
        this.outputs = outputs;
        this.outputsAt = outputsAt;
    }

    /** Starts a call that runs on the pool: a new number, nothing failed, the caller as the waiter. */
    void start(GradientSum into, boolean replace, int callerShare) {
        this.callerShare = callerShare;
        this.cancelled = false;
        this.failure.set(null);
        this.into = into;
        this.replace = replace;
        this.number++;
        this.waiter = Thread.currentThread();
        this.done = false;
    }

    /** Records the first failure and stops the chunks not yet started. */
    void fail(Throwable t) {
        failure.compareAndSet(null, t);
        cancelled = true;
    }

    /** The first failure of the call, or null. */
    Throwable failure() {
        return failure.get();
    }

    /** The tree has completed: wakes the caller. */
    void finish() {
        done = true;
        LockSupport.unpark(waiter);
    }

    /** Drops the call's references, so that the engine holds no caller's data between calls. */
    void end() {
        params = null;
        data = null;
        outputs = null;
        waiter = null;
        into = null;
    }
}
