package dev.backprop.bench;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.GradientSum;
import dev.backprop.parallel.ParallelEngine;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The parallel engine's speedup over fewer threads, with the two measured in alternation: each invocation
 * times one gradient on a {@code baseline}-thread engine (one by default) and one on a {@code threads}-thread
 * engine, in turns of order. With {@code -p baseline=2 -p threads=3,4} it measures what oversubscribing a
 * 2-core machine costs.
 * On a shared machine whose speed drifts by 10–20% over seconds, separate JMH runs of 1 and 2 threads
 * (as {@link EngineBenchmark} makes them) can land on different sides of a drift; calls a few
 * milliseconds apart share it, so the ratio of the summed times is the speedup with the drift taken out.
 *
 * <p>The secondary results {@code baselineNanos} and {@code threadsNanos} are those sums per iteration
 * (JMH events, not rates); the speedup is their ratio. The primary score counts the pairs.
 */
@Fork(value = 4, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class SpeedupBenchmark extends BatchBenchmark {
    @Param({"1"})
    public int baseline;

    @Param({"2"})
    public int threads;

    private GradientEngine few;
    private GradientEngine many;
    private boolean manyFirst;

    /** The summed times of the two engines in one iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Times {
        public long baselineNanos;
        public long threadsNanos;

        @Setup(Level.Iteration)
        public void clear() {
            baselineNanos = 0;
            threadsNanos = 0;
        }
    }

    @Setup
    public void setUp() {
        makeProblem();
        few = new ParallelEngine(baseline);
        many = new ParallelEngine(threads);
    }

    @TearDown
    public void tearDown() {
        few.close();
        many.close();
    }

    @Benchmark
    public GradientSum pair(Times times) {
        // Either order half the time: the second call of a pair finds the caches as the first left them.
        manyFirst = !manyFirst;
        if (manyFirst) {
            times.threadsNanos += timed(many);
            times.baselineNanos += timed(few);
        } else {
            times.baselineNanos += timed(few);
            times.threadsNanos += timed(many);
        }
        return problem.sum;
    }

    private long timed(GradientEngine engine) {
        long start = System.nanoTime();
        engine.compute(problem.params, problem.data, 0, problem.data.size(), problem.sum);
        return System.nanoTime() - start;
    }
}
