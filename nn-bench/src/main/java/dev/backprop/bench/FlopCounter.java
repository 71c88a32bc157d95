package dev.backprop.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Floating-point operations done by a benchmark, reported by JMH as a rate next to the primary score
 * (the secondary result {@code flops}, in operations per the benchmark's time unit), so GFLOP/s come out
 * of the same run as the time they were measured in.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class FlopCounter {
    /** Floating-point operations counted so far in this iteration. */
    public long flops;

    @Setup(Level.Iteration)
    public void clear() {
        flops = 0;
    }
}
