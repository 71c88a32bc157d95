package dev.backprop.parallel;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.Shapes;
import dev.backprop.core.data.DataSet;
import dev.backprop.simd.FloatWeights;
import dev.backprop.simd.SimdEngine;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountedCompleter;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The parallel engine: a batch is cut into chunks whose boundaries depend on the batch size alone
 * ({@link Chunking}), each chunk's Δ is computed by a {@link SimdEngine} worker on a ForkJoin pool, and
 * the partial sums are added pairwise in a tree whose shape depends on the number of chunks alone
 * (chunks [lo, mid) + [mid, hi), mid = (lo + hi) / 2, left += right). So D and J are bitwise identical
 * for any number of threads; D = Δ/m is left to the caller, once.
 *
 * <p>A call computes on the calling thread and on a pool: the engine's own, of {@code threads} − 1
 * workers, or one the caller passes in; never the common pool. The caller computes its share of the
 * chunks (the first ⌈chunks/threads⌉) itself instead of sleeping while a worker wakes up for them, which
 * matters most for small batches of two or three chunks. {@link #close()} shuts down only a pool the engine
 * made. The weights are rounded to float32 once per call and shared read-only by the workers. A chunk
 * (at most {@link SimdEngine#FLUSH_EXAMPLES} examples, as the default chunking's always are) leaves its Δ
 * in its engine's float32 buffer, and the tree adds two such buffers into doubles itself, each element as
 * 0.0 + f, the double a chunk's own sum would have held: the same bits without the pass that wrote every
 * chunk's double sum and the one that read it back (about a tenth of a two-thread training step at a
 * batch of 256). Workers' engines, partial sums and the tree's tasks are made on first use and reused, so
 * a call in the steady state allocates nothing, and the partial results alive at once are bounded by the
 * tree's depth times the threads, not by the number of chunks.
 *
 * <p>Calls from several application threads on one engine queue (one call runs at a time, on all the
 * pool's threads). To run calls side by side, give each application thread its own engine; engines can
 * share one pool. A worker that computed one of the root's two children waits up to 200 µs for the other, to
 * share the root's addition with the caller; on a shared pool that is the longest it is held back from
 * other engines' work.
 *
 * <p>A worker that throws stops the call: chunks not yet started are skipped, the caller gets a
 * {@link ChunkFailedException} naming the chunk, and the engine is usable for the next call. A caller
 * interrupted while it waits gets a {@link CancellationException} once the running chunks have finished,
 * with its interrupt flag set again.
 *
 * <p>The protocols of a call each have a class of their own: {@link Call} (what the caller hands the
 * workers), {@link SlicedLoad} (the float32 weights loaded in slices), {@link RootAddition} (the root's
 * addition in shared pieces), {@link TreeCache} (the trees by chunk count) and {@link Waits} (spin, yield,
 * park). This class holds the pool, the tree's nodes and the order in which the parts are used.
 */
public final class ParallelEngine implements GradientEngine {
    /** Slices of the weight conversion per thread that takes part. */
    private static final int SLICES_PER_THREAD = 4;
    /** Reduction trees kept, for as many chunk counts. */
    private static final int TREES = 8;
    /** The workers besides the calling thread; null for one thread, when the caller does everything. */
    private final ForkJoinPool pool;
    private final boolean ownsPool;
    private final int threads;
    private final Chunking chunking;
    private final int block;
    private final SliceRunner updateSlices;

    private final SyncStack<SimdEngine> engines = new SyncStack<>();
    private final SyncStack<GradientSum> sums = new SyncStack<>();
    private final TreeCache<Node> trees = new TreeCache<>(TREES);
    private final Call call = new Call();
    private final SlicedLoad load = new SlicedLoad(this::loadSlice);
    private final RootAddition addition = new RootAddition();

    private Network network;
    private FloatWeights weights;
    private volatile boolean closed;
    private ChunkListener listener;

    /** An engine with its own pool of {@code threads} threads, default chunking and block size. */
    public ParallelEngine(int threads) {
        this(threads, Chunking.DEFAULT, SimdEngine.DEFAULT_BLOCK);
    }

    /**
     * An engine that computes on {@code threads} threads: the calling thread and a pool of its own of
     * {@code threads} − 1 workers (none for one thread).
     */
    public ParallelEngine(int threads, Chunking chunking, int block) {
        this(threads > 1 ? newPool(threads - 1) : checkThreads(threads), true, threads, chunking, block);
    }

    /**
     * An engine that runs on the caller's pool, which it never shuts down; the calling thread computes too,
     * so a call uses the pool's parallelism + 1 threads.
     */
    public ParallelEngine(ForkJoinPool pool, Chunking chunking, int block) {
        this(pool, false, pool.getParallelism() + 1, chunking, block);
    }

    private ParallelEngine(ForkJoinPool pool, boolean ownsPool, int threads, Chunking chunking, int block) {
        if (pool == ForkJoinPool.commonPool()) {
            throw new IllegalArgumentException("the parallel engine does not run on the common pool; give it its own");
        }
        if (block < 1) {
            throw new IllegalArgumentException("the block size must be at least 1, got " + block);
        }
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.threads = threads;
        this.chunking = chunking;
        this.block = block;
        this.updateSlices = new SliceRunner(pool, threads);
    }

    private static ForkJoinPool checkThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("the parallel engine needs at least 1 thread, got " + threads);
        }
        return null;
    }

    private static ForkJoinPool newPool(int workers) {
        return new ForkJoinPool(workers, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("nn-parallel-" + t.getPoolIndex());
            return t;
        }, null, false);
    }

    @Override
    public String name() {
        return "parallel";
    }

    /** The optimizer's update, on the threads the gradient runs on. */
    @Override
    public void runInSlices(int size, int grain, dev.backprop.core.RangeTask task) {
        if (closed) {
            throw new IllegalStateException("the parallel engine is closed");
        }
        updateSlices.run(size, grain, task);
    }

    /** The number of threads a call computes on, the caller's included. */
    public int threads() {
        return threads;
    }

    /** How batches are cut into chunks. */
    public Chunking chunking() {
        return chunking;
    }

    @Override
    public synchronized void accumulate(Parameters params, DataSet data, int from, int to, GradientSum sum) {
        gradient(params, data, from, to, sum, false);
    }

    @Override
    public synchronized void compute(Parameters params, DataSet data, int from, int to, GradientSum sum) {
        gradient(params, data, from, to, sum, true);
    }

    /** Δ over [from, to) added into {@code sum}, or written over it when {@code replace}. */
    private void gradient(Parameters params, DataSet data, int from, int to, GradientSum sum, boolean replace) {
        Shapes.checkGradient(params, data, from, to, sum);
        if (from == to) {
            if (replace) {
                sum.reset();
            }
            return;
        }
        prepare(params);
        run(data, from, to, sum, replace, null, 0);
    }

    @Override
    public synchronized void predict(Parameters params, DataSet data, int from, int to, double[] outputs) {
        Shapes.checkPrediction(params, data, from, to, outputs);
        if (from == to) {
            return;
        }
        prepare(params);
        run(data, from, to, null, false, outputs, 0);
    }

    /** Shuts down the pool if the engine made it; calls afterwards fail. */
    @Override
    public synchronized void close() {
        closed = true;
        if (ownsPool && pool != null) {
            pool.shutdown();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The reduction tree over {@code chunks} chunks, made once and reused. */
    private Node tree(int chunks) {
        Node tree = trees.get(chunks, call.number);
        if (tree == null) {
            tree = new Node(null, 0, chunks);
            trees.put(chunks, tree, call.number);
        }
        return tree;
    }

    /** Test hook: called by each worker before its chunk. */
    interface ChunkListener {
        void beforeChunk(int chunk);
    }

    void setChunkListener(ChunkListener listener) {
        this.listener = listener;
    }

    private void prepare(Parameters params) {
        if (closed) {
            throw new IllegalStateException("the parallel engine is closed");
        }
        if (!params.network().equals(network)) {
            network = params.network();
            weights = new FloatWeights(network);
            sums.clear();
        }
        call.params = params;
    }

    /**
     * Computes Δ over [from, to) into {@code into} (replacing what it held when {@code replace}), or the
     * predictions into {@code outputs}.
     */
    private void run(DataSet data, int from, int to, GradientSum into, boolean replace, double[] outputs,
            int outputsAt) {
        int m = to - from;
        int chunks = chunking.chunks(m);
        call.set(data, from, to, chunking.chunkSize(m), outputs, outputsAt);
        if (chunks == 1) {
            // One chunk has no one to share it with: the caller computes it, straight into the caller's sum,
            // without the round trip through the pool (tens of microseconds, more than a small batch takes).
            try {
                weights.load(call.params);
                chunk(0, from, to, into, replace);
            } catch (Throwable t) {
                throw new ChunkFailedException(0, from, to, t);
            } finally {
                call.end();
            }
            return;
        }
        Node root = tree(chunks);
        root.reset();
        // The weights are converted to float32 by the threads that take part, before any chunk starts.
        load.begin(threads == 1 ? 1 : Math.min(threads, chunks) * SLICES_PER_THREAD);
        call.start(into, replace, (chunks + threads - 1) / threads);
        addition.begin(call.number);
        boolean interrupted = false;
        try {
            // The caller works too: it computes the first ⌈chunks/threads⌉ chunks and hands the rest to the
            // pool, rather than sleeping while a worker wakes up for them; each worker handed a subtree is
            // woken once, and loads a weight slice before its first chunk, as the caller does.
            root.compute();
            // The other threads' chunks are about as long as the caller's, so the wait is usually short:
            // spin and yield for a while first, since waking from a park costs tens of microseconds on the
            // path of every call. Then park rather than ForkJoinTask.get(): no wait node is allocated, and
            // the wait ends only when every chunk has finished, so no worker outlives the call.
            long parkAfter = System.nanoTime() + Waits.SPIN_NANOS;
            for (int spins = 0; !call.done && System.nanoTime() < parkAfter; spins++) {
                Waits.pause(spins);
            }
            while (!call.done) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                    call.cancelled = true;
                }
            }
            // The last worker signals from the root's onCompletion and marks the root complete just after;
            // the tree is reused by the next call, so wait for that mark too.
            Waits.untilDone(root);
            interrupted |= Thread.interrupted();
            if (!interrupted && into != null && call.failure() == null) {
                addPieces(call.number, root);
                addition.awaitAll();
            }
        } finally {
            // No piece may be taken after the call. On success every piece is done already; after a failure or
            // an interrupt, wait for any piece a worker took before the addition was closed.
            addition.closeAndDrain(call.number);
            call.end();
        }
        Throwable failed = call.failure();
        if (interrupted || failed != null) {
            root.release();
            if (interrupted) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted: the parallel engine stopped before the result was complete");
            }
            throw failed instanceof RuntimeException r ? r : new IllegalStateException(failed);
        }
        if (into != null) {
            Node left = root.left;
            Node right = root.right;
            if (replace) {
                into.setTotals(left.count() + right.count(), 0.0 + (left.lossSum() + right.lossSum()));
            } else {
                into.addExamples(left.count() + right.count(), left.lossSum() + right.lossSum());
            }
            root.release();
        }
    }

    /**
     * Takes pieces of the root's addition of call number {@code number} while there are any, and adds each.
     * Takes none when the addition is not open, or belongs to another call.
     */
    private void addPieces(int number, Node root) {
        for (int piece; (piece = addition.take(number)) >= 0; ) {
            // Read after the piece is taken: the caller keeps the call's sum until every taken piece is done.
            Node l = root.left;
            Node r = root.right;
            RootAddition.add(call.into.deltaSum(), call.replace, l.doubles(), l.floats(), r.doubles(), r.floats(), piece);
            addition.pieceDone();
        }
    }

    /**
     * Hands {@code task} to the pool: forked when a worker of the pool calls (the usual work-stealing), given
     * to the pool from outside when the caller does, since {@code fork()} from a thread that is not a worker
     * would send it to the common pool. Never called without a pool: with one thread the caller's share is
     * every chunk, so it hands nothing over.
     */
    private void submit(ForkJoinTask<?> task) {
        if (Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == pool) {
            task.fork();
        } else {
            pool.execute(task);
        }
    }

    /** Loads one slice of the call's float32 weights; a failure is recorded, and the call stops at its chunks. */
    private void loadSlice(int slice, int slices) {
        try {
            weights.load(call.params, slice, slices);
        } catch (Throwable t) {
            // Recorded, not thrown: the tree still completes only when every chunk has finished.
            call.fail(t);
        }
    }

    /**
     * A node of the reduction tree over chunks [lo, hi), built once per chunk count. A node completes when
     * both children have; its {@link #onCompletion} adds the right child's sum into the left's, so the
     * order of additions is the tree's, whichever worker finishes last. No worker ever blocks on a join.
     * The root leaves its children's sums to the caller, who adds both into its own sum in one pass, in
     * pieces shared with a worker that computed one of the two.
     */
    private final class Node extends CountedCompleter<Void> {
        private static final long serialVersionUID = 1L;

        final int lo;
        final int hi;
        final Node left;
        final Node right;
        /** This subtree's Δ in double precision, or null while it is a chunk's float32 Δ or not computed. */
        GradientSum result;
        /**
         * The engine that holds a chunk's Δ in float32 ({@link SimdEngine#computeInFloat}), kept out of the
         * pool until the parent has added it; with its count and 0.0 + Σ J_i.
         */
        SimdEngine floatResult;
        long floatCount;
        double floatLoss;

        Node(Node parent, int lo, int hi) {
            super(parent);
            this.lo = lo;
            this.hi = hi;
            int mid = (lo + hi) >>> 1;
            this.left = hi - lo > 1 ? new Node(this, lo, mid) : null;
            this.right = hi - lo > 1 ? new Node(this, mid, hi) : null;
        }

        void reset() {
            reinitialize();
            setPendingCount(0);
            result = null;
            floatResult = null;
            if (left != null) {
                left.reset();
                right.reset();
            }
        }

        /** Returns the partial sums still held, after a failed or cancelled call or the root's last addition. */
        void release() {
            if (result != null) {
                sums.push(result);
                result = null;
            }
            if (floatResult != null) {
                engines.push(floatResult);
                floatResult = null;
            }
            if (left != null) {
                left.release();
                right.release();
            }
        }

        @Override
        public void compute() {
            if (left != null) {
                setPendingCount(1);
                if (Thread.currentThread() == call.waiter && hi - lo <= call.callerShare) {
                    // The caller's share of the chunks, about 1/threads of them: it computes this subtree
                    // alone, left then right, and hands nothing more to the pool.
                    left.compute();
                    right.compute();
                    return;
                }
                submit(right);
                left.compute(); // the left half in this thread; it completes into this node
                return;
            }
            leaf();
            int number = call.number; // read before the completion, after which the caller may begin another call
            boolean rootChild = getCompleter() != null && getCompleter().getCompleter() == null;
            tryComplete();
            if (rootChild && Thread.currentThread() != call.waiter && call.into != null) {
                helpAdd(number, (Node) getCompleter());
            }
        }

        /**
         * A worker that has computed a child of the root waits a little for the other child, then takes pieces
         * of the root's addition beside the caller: at two chunks (a batch of 256) the addition was a serial
         * tenth of a 2-thread call, with this worker idle.
         */
        private void helpAdd(int number, Node root) {
            long until = System.nanoTime() + Waits.SPIN_NANOS;
            for (int spins = 0; !call.done && System.nanoTime() < until; spins++) {
                Waits.pause(spins);
            }
            addPieces(number, root);
        }

        boolean computed() {
            return result != null || floatResult != null;
        }

        double[] doubles() {
            return result == null ? null : result.deltaSum();
        }

        float[] floats() {
            return floatResult == null ? null : floatResult.floatDelta();
        }

        long count() {
            return result != null ? result.count() : floatCount;
        }

        double lossSum() {
            return result != null ? result.lossSum() : floatLoss;
        }

        @Override
        public void onCompletion(CountedCompleter<?> caller) {
            if (left != null && getCompleter() != null) {
                if (left.computed() && right.computed()) {
                    // left + right, the order fixed by the tree, not by which finished first; a chunk's float32 Δ
                    // enters as 0.0 + Δ, the double sum it would have been flushed into
                    GradientSum into = left.result != null ? left.result : right.result;
                    if (into == null) {
                        into = sums.pop();
                        if (into == null) {
                            into = GradientSum.zeros(network);
                        }
                    }
                    RootAddition.add(into.deltaSum(), left.doubles(), left.floats(), right.doubles(), right.floats());
                    into.setTotals(left.count() + right.count(), left.lossSum() + right.lossSum());
                    if (left.result == into) {
                        left.result = null;
                    } else if (right.result == into) {
                        right.result = null;
                    }
                    left.release();
                    right.release();
                    result = into;
                } else {
                    // a chunk failed or the call was cancelled: nothing reads this subtree's sum
                    left.release();
                    right.release();
                }
            }
            if (getCompleter() == null) {
                finish();
            }
        }

        @Override
        public boolean onExceptionalCompletion(Throwable ex, CountedCompleter<?> caller) {
            call.fail(ex);
            if (getCompleter() == null) {
                finish();
            }
            return true;
        }

        private void finish() {
            if (call.into != null && call.failure() == null && !call.cancelled) {
                addition.open(call.number); // both children are complete: the pieces may be taken
            }
            call.finish();
        }

        private void leaf() {
            if (call.cancelled) {
                return;
            }
            int start = call.from + lo * call.chunkSize;
            int end = Math.min(call.to, start + call.chunkSize);
            load.ensureLoaded();
            if (call.cancelled) {
                return;
            }
            try {
                if (call.outputs == null && end - start <= SimdEngine.FLUSH_EXAMPLES) {
                    floatChunk(this, lo, start, end);
                } else {
                    result = chunk(lo, start, end, null, true);
                }
            } catch (Throwable t) {
                // Recorded, not thrown: the tree still completes only when every chunk has finished.
                call.fail(new ChunkFailedException(lo, start, end, t));
            }
        }
    }

    /**
     * Computes chunk {@code index}, examples [start, end) of the call's data, into the float32 buffer of a
     * pooled SIMD engine that the node keeps until its parent has added it.
     */
    private void floatChunk(Node node, int index, int start, int end) {
        SimdEngine engine = engineFor(index);
        try {
            double loss = engine.computeInFloat(weights, call.data, start, end);
            node.floatCount = end - start;
            node.floatLoss = 0.0 + loss; // as a replaced sum holds it
            node.floatResult = engine;
            engine = null;
        } finally {
            if (engine != null) {
                engines.push(engine);
            }
        }
    }

    /**
     * Computes chunk {@code index}, examples [start, end) of the call's data, with a pooled SIMD engine, into
     * {@code sum} (replacing what it held when {@code replace}), or into a pooled partial sum when
     * {@code sum} is null. Returns the sum, or null when the call predicts (the outputs are written in place).
     */
    private GradientSum chunk(int index, int start, int end, GradientSum sum, boolean replace) {
        SimdEngine engine = engineFor(index);
        try {
            if (call.outputs != null) {
                engine.predict(weights, call.data, start, end, call.outputs,
                        call.outputsAt + (start - call.from) * network.outputs());
                return null;
            }
            if (sum == null) {
                sum = sums.pop();
                if (sum == null) {
                    sum = GradientSum.zeros(network);
                }
            }
            if (replace) {
                engine.compute(weights, call.data, start, end, sum); // replaces the old contents: no zeroing pass
            } else {
                engine.accumulate(weights, call.data, start, end, sum);
            }
            return sum;
        } finally {
            if (engine != null) {
                engines.push(engine);
            }
        }
    }

    /** A pooled SIMD engine (made on first use) for chunk {@code index}, after the test hook has seen it. */
    private SimdEngine engineFor(int index) {
        SimdEngine engine = engines.pop();
        if (engine == null) {
            engine = new SimdEngine(block);
        }
        if (listener != null) {
            try {
                listener.beforeChunk(index);
            } catch (RuntimeException | Error e) {
                engines.push(engine);
                throw e;
            }
        }
        return engine;
    }
}
