package dev.backprop.bench;

import dev.backprop.core.GradientSum;
import dev.backprop.simd.SimdEngine;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What two threads can do on this machine at best, the ceiling for the parallel engine's speedup: one SIMD
 * engine over the whole batch, timed in alternation with two SIMD engines that each take half of it on
 * two threads, with nothing shared and nothing added up afterwards. The parallel engine's own speedup
 * ({@link SpeedupBenchmark}) falls short of 2 by this ceiling's shortfall (caches, memory and the host's
 * scheduling of the two vCPUs) and by its own costs: chunking, the reduction, the pool's wake-up.
 *
 * <p>The second half runs on a thread of this benchmark's own, woken as the pool's workers are: a short
 * spin, then a park. The secondary results are {@link SpeedupBenchmark}'s: {@code baselineNanos}, the summed
 * times of the one engine per iteration, and {@code threadsNanos}, those of the two halves; the ceiling is
 * their ratio. The primary score counts the pairs.
 */
@Warmup(iterations = 3, time = 2)
public class CeilingBenchmark extends BatchBenchmark {
    private static final long SPIN_NANOS = 200_000; // as the parallel engine waits

    private final SimdEngine one = new SimdEngine();
    private final SimdEngine first = new SimdEngine();
    private final SimdEngine second = new SimdEngine();
    private GradientSum secondSum;
    private Thread helper;
    private volatile Thread caller;
    private volatile int started;
    private volatile int finished;
    private volatile boolean stopped;
    private boolean halvesFirst;

    @Setup
    public void setUp() {
        makeProblem();
        secondSum = GradientSum.zeros(problem.network);
        helper = new Thread(this::secondHalves, "nn-bench-ceiling");
        helper.setDaemon(true);
        helper.start();
    }

    @TearDown
    public void tearDown() throws InterruptedException {
        stopped = true;
        LockSupport.unpark(helper);
        helper.join();
    }

    @Benchmark
    public GradientSum pair(SpeedupBenchmark.Times times) {
        halvesFirst = !halvesFirst; // either order half the time, as in SpeedupBenchmark
        if (halvesFirst) {
            times.threadsNanos += halves();
            times.baselineNanos += one();
        } else {
            times.baselineNanos += one();
            times.threadsNanos += halves();
        }
        return problem.sum;
    }

    private long one() {
        long start = System.nanoTime();
        one.compute(problem.params, problem.data, 0, problem.data.size(), problem.sum);
        return System.nanoTime() - start;
    }

    private long halves() {
        long start = System.nanoTime();
        caller = Thread.currentThread();
        int call = started + 1;
        started = call;
        LockSupport.unpark(helper);
        first.compute(problem.params, problem.data, 0, problem.data.size() / 2, problem.sum);
        await(() -> finished == call);
        return System.nanoTime() - start;
    }

    private void secondHalves() {
        int done = 0;
        while (true) {
            int seen = done;
            await(() -> stopped || started != seen);
            if (stopped) {
                return;
            }
            done = started;
            second.compute(problem.params, problem.data, problem.data.size() / 2, problem.data.size(), secondSum);
            finished = done;
            LockSupport.unpark(caller);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long parkAfter = System.nanoTime() + SPIN_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() < parkAfter) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(100_000);
            }
        }
    }
}
