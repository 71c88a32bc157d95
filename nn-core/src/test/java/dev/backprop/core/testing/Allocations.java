package dev.backprop.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts the heap bytes one call allocates, as HotSpot counts them per thread: on the calling thread and on
 * the threads whose names start with a prefix (an engine's pool). Skips the test on a JVM that does not count.
 */
public final class Allocations {
    private Allocations() {
    }

    /** {@link #fewestBytesPerCall(Runnable, String, long, Duration)} on the calling thread alone. */
    public static long fewestBytesPerCall(Runnable call, long enough, Duration limit) {
        return fewestBytesPerCall(call, null, enough, limit);
    }

    /**
     * The fewest bytes any one call allocated once the code it runs is compiled. Until the JIT has compiled
     * the kernels, the Vector API boxes every vector on the heap, so calls are repeated until one allocates
     * at most {@code enough} bytes or {@code limit} has passed. The fewest, not the mean: a buffer made on
     * every call shows in every call, while a pool that grows once, or the JIT's warm-up, does not.
     */
    public static long fewestBytesPerCall(Runnable call, String workerPrefix, long enough, Duration limit) {
        com.sun.management.ThreadMXBean mx = bean();
        call.run(); // starts the workers, so that they can be counted
        long[] ids = threadIds(workerPrefix);
        long overhead = Long.MAX_VALUE; // what counting itself allocates on this thread
        for (int i = 0; i < 5; i++) {
            long a = total(mx, ids);
            long b = total(mx, ids);
            overhead = Math.min(overhead, b - a);
        }
        long fewest = Long.MAX_VALUE;
        long deadline = System.nanoTime() + limit.toNanos();
        while (fewest > enough && System.nanoTime() < deadline) {
            long before = total(mx, ids);
            call.run();
            long after = total(mx, ids);
            // Once the JIT compiles the counting itself, its result array may be scalar-replaced and the
            // overhead measured before vanish: a call that allocated nothing then reads below zero.
            fewest = Math.min(fewest, Math.max(0, after - before - overhead));
        }
        return fewest;
    }

    private static com.sun.management.ThreadMXBean bean() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "this JVM does not count allocations per thread");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported(), "this JVM does not count allocations per thread");
        mx.setThreadAllocatedMemoryEnabled(true);
        return mx;
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is not in Java 17
    private static long[] threadIds(String workerPrefix) {
        List<Long> ids = new ArrayList<>();
        ids.add(Thread.currentThread().getId());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (workerPrefix != null && t != Thread.currentThread() && t.getName().startsWith(workerPrefix)) {
                ids.add(t.getId());
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    private static long total(com.sun.management.ThreadMXBean mx, long[] ids) {
        long sum = 0;
        for (long bytes : mx.getThreadAllocatedBytes(ids)) {
            sum += Math.max(bytes, 0); // -1 for a thread that has ended
        }
        return sum;
    }
}
