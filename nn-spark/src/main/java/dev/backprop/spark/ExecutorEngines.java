package dev.backprop.spark;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.FileFormatException;
import dev.backprop.core.io.ModelFile;
import dev.backprop.parallel.EngineKind;
import dev.backprop.simd.SimdEngine;
import java.nio.file.Path;
import java.util.ArrayDeque;
import org.apache.spark.SparkEnv;

/**
 * What each executor JVM keeps between tasks: one engine of each kind (the parallel engine with its own pool,
 * sized to the executor's cores, never the common pool), and the weights of the step being computed, decoded
 * once per broadcast rather than once per task.
 */
final class ExecutorEngines {
    private static GradientEngine parallel;
    private static final ArrayDeque<SimdEngine> idleSimd = new ArrayDeque<>();
    private static long weightsBroadcast = -1;
    private static Parameters weights;

    private ExecutorEngines() {
    }

    /**
     * The engine of {@code kind} for this executor, to be given back with {@link #release}. A SIMD engine
     * serves one task at a time (it holds work buffers); idle ones are kept for the next tasks rather than
     * made again, buffers and all, for every partition of every step.
     */
    static synchronized GradientEngine engine(EngineKind kind) {
        switch (kind) {
            case SIMD -> {
                SimdEngine idle = idleSimd.poll();
                return idle != null ? idle : (SimdEngine) kind.create(1);
            }
            case PARALLEL -> {
                if (parallel == null) {
                    SparkEnv env = SparkEnv.get();
                    int cores = env == null ? Runtime.getRuntime().availableProcessors()
                            : env.conf().getInt("spark.executor.cores", Runtime.getRuntime().availableProcessors());
                    parallel = kind.create(cores);
                }
                return parallel;
            }
            default -> {
                return kind.create(1); // the reference engine holds nothing worth keeping
            }
        }
    }

    /** Gives back an engine a task got from {@link #engine}. */
    static synchronized void release(GradientEngine engine) {
        if (engine instanceof SimdEngine simd) {
            idleSimd.push(simd);
        }
    }

    /** The weights broadcast as {@code id}, decoded from model bytes once per executor and step. */
    static synchronized Parameters weights(long id, byte[] model) throws FileFormatException {
        if (id != weightsBroadcast) {
            weights = ModelFile.decode(Path.of("broadcast-" + id), model).parameters();
            weightsBroadcast = id;
        }
        return weights;
    }
}
