package dev.backprop.cli;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.parallel.ParallelEngine;
import dev.backprop.simd.SimdEngine;
import java.util.List;

/**
 * The engines the command line can choose with {@code --engine}: {@code reference} (double precision, the
 * oracle, one thread), {@code simd} (float32 blocks on the Vector API, one thread) and {@code parallel}
 * (SIMD workers on a pool of {@code --threads} threads, the same bits on any thread count).
 */
final class Engines {
    /** The names accepted by {@code --engine}. */
    static final List<String> NAMES = List.of("reference", "simd", "parallel");

    private Engines() {
    }

    /** A new engine; the caller closes it. */
    static GradientEngine create(String name, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        return switch (name) {
            case "reference" -> new ReferenceEngine();
            case "simd" -> new SimdEngine();
            case "parallel" -> new ParallelEngine(threads);
            default -> throw new IllegalArgumentException("unknown engine '" + name + "'; expected one of "
                    + String.join(", ", NAMES));
        };
    }
}
