package dev.backprop.cli;

import dev.backprop.core.GradientEngine;
import picocli.CommandLine.Option;

/** {@code --engine} and {@code --threads} for the commands that only predict (evaluate, predict). */
final class EngineOptions {
    @Option(names = "--engine", defaultValue = "parallel", paramLabel = "NAME",
            description = "reference, simd or parallel (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads of the parallel engine (default: every available processor).")
    Integer threads;

    /** A new engine; the caller closes it. */
    GradientEngine create() {
        return Engines.create(engine, threads != null ? threads : Runtime.getRuntime().availableProcessors());
    }
}
