package dev.backprop.parallel;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.simd.SimdEngine;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The engines by name: the one place that knows which names there are and how each is made, for the command
 * line, the benchmarks and their report, and the executors of a cluster. It lives in nn-parallel, the lowest
 * module that sees all three engines.
 */
public enum EngineKind {
    /** Double precision, docs/MATH.md's loops as written, one thread: the oracle. */
    REFERENCE,
    /** float32 blocks on the Vector API (or its scalar twin), one thread. */
    SIMD,
    /** SIMD workers on a pool of its own threads, the same bits on any number of them. */
    PARALLEL;

    private static final List<String> IDS = Arrays.stream(values()).map(EngineKind::id).toList();

    /** The lower-case name the command line, the benchmarks' parameters and the recipes use. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the engine whose thread count is a setting; the others run on the caller's thread. */
    public boolean threaded() {
        return this == PARALLEL;
    }

    /**
     * A new engine of this kind, the caller to close it; {@code threads} sizes the parallel engine's pool and
     * is ignored by the others.
     *
     * @throws IllegalArgumentException if {@code threads} is below 1
     */
    public GradientEngine create(int threads) {
        requireThreads(threads);
        return switch (this) {
            case REFERENCE -> new ReferenceEngine();
            case SIMD -> new SimdEngine();
            case PARALLEL -> new ParallelEngine(threads);
        };
    }

    /**
     * A new engine of the kind named {@code id} on {@code threads}; the thread count is checked first, for
     * every kind, so that a bad setting is named whichever engine it came with.
     *
     * @throws IllegalArgumentException if {@code threads} is below 1 or {@code id} names no engine
     */
    public static GradientEngine create(String id, int threads) {
        requireThreads(threads);
        return of(id).create(threads);
    }

    private static void requireThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
    }

    /** Every {@link #id()}, in declaration order. */
    public static List<String> ids() {
        return IDS;
    }

    /**
     * The kind named {@code id}.
     *
     * @throws IllegalArgumentException naming the unknown name and the known ones
     */
    public static EngineKind of(String id) {
        int i = IDS.indexOf(id);
        if (i < 0) {
            throw new IllegalArgumentException("unknown engine '" + id + "'; expected one of " + String.join(", ", IDS));
        }
        return values()[i];
    }
}
