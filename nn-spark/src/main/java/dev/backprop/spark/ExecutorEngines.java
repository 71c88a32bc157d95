package dev.backprop.spark;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.Parameters;
import dev.backprop.core.io.FileFormatException;
import dev.backprop.core.io.ModelFile;
import dev.backprop.parallel.ParallelEngine;
import dev.backprop.simd.SimdEngine;
import java.nio.file.Path;
import org.apache.spark.SparkEnv;

/**
 * What each executor JVM keeps between tasks: one engine of each kind (the parallel engine with its own pool,
 * sized to the executor's cores, never the common pool), and the weights of the step being computed, decoded
 * once per broadcast rather than once per task.
 */
final class ExecutorEngines {
    private static ParallelEngine parallel;
    private static long weightsBroadcast = -1;
    private static Parameters weights;

    private ExecutorEngines() {
    }

    /** The engine of {@code kind} for this executor. SIMD engines are per task (they hold work buffers). */
    static synchronized GradientEngine engine(SparkGradient.Engine kind) {
        if (kind == SparkGradient.Engine.SIMD) {
            return new SimdEngine();
        }
        if (parallel == null) {
            SparkEnv env = SparkEnv.get();
            int cores = env == null ? Runtime.getRuntime().availableProcessors()
                    : env.conf().getInt("spark.executor.cores", Runtime.getRuntime().availableProcessors());
            parallel = new ParallelEngine(cores);
        }
        return parallel;
    }

    /** True when {@code engine} is shared and must not be closed by a task. */
    static boolean shared(GradientEngine engine) {
        return engine instanceof ParallelEngine;
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
