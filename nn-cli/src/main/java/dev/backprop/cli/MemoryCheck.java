package dev.backprop.cli;

import dev.backprop.core.Network;
import dev.backprop.core.data.DataSetTooLargeException;
import java.util.Locale;

/**
 * The memory a training run needs for its network, estimated before any of it is allocated, so that a
 * network too large for the heap is refused with the figure and the fix instead of an OutOfMemoryError
 * deep inside an engine. The estimate counts what is proportional to the weights (which dominates for any
 * network too large): it is a floor, not a promise.
 */
final class MemoryCheck {
    private MemoryCheck() {
    }

    /** Bytes per weight held at once while training with {@code engine} on {@code threads} threads. */
    static long bytesPerWeight(String engine, int threads, String optimizer) {
        int stateArrays = switch (optimizer) {
            case "adam" -> 2;
            case "momentum", "nesterov" -> 1;
            default -> 0;
        };
        long bytes = 8 // the parameters, float64
                + 8L * stateArrays // the optimizer's state
                + 16 // the trainer's GradientSum and D = Δ/m
                + 8 * (stateArrays + 2); // a checkpoint while it is encoded: the model, the state, the file's bytes
        bytes += switch (engine) {
            case "simd" -> 8 + 4; // float32 weights forward and transposed, and a block's Δ
            case "parallel" -> 8 + threads * (4L + 8); // shared float32 weights; per thread a block's Δ and a partial sum
            default -> 0;
        };
        return bytes;
    }

    /** Refuses {@code network} if what it needs exceeds what the heap has left. */
    static void beforeTraining(Network network, String engine, int threads, String optimizer) {
        long weights = network.parameterCount();
        long needed = weights * bytesPerWeight(engine, threads, optimizer);
        Runtime rt = Runtime.getRuntime();
        long max = rt.maxMemory();
        long left = max - (rt.totalMemory() - rt.freeMemory());
        if (needed > left) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the network %s has %,d weights and needs "
                    + "about %s of memory to train (parameters, gradient sums, optimizer state, the engine's float "
                    + "copies and buffers, the checkpoint), more than the %s left of the %s heap this JVM may use; raise "
                    + "the limit with -Xmx (for nn: NN_JAVA_OPTS=-Xmx%s) or choose a smaller --hidden",
                    network.describe().split(" ")[0], weights, DataSetTooLargeException.size(needed),
                    DataSetTooLargeException.size(Math.max(0, left)), DataSetTooLargeException.size(max),
                    DataSetTooLargeException.heapSuggestion(needed, max)));
        }
    }
}
