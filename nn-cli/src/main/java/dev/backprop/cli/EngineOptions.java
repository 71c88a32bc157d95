package dev.backprop.cli;

import dev.backprop.core.GradientEngine;
import dev.backprop.parallel.EngineKind;
import java.util.Iterator;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code --engine} and {@code --threads}, mixed into every command that computes with an engine. The engine
 * defaults to {@code parallel}; a command whose default is another names it with a
 * {@link ReferenceByDefault}-like default-value provider.
 */
final class EngineOptions {
    @Option(names = "--engine", defaultValue = "parallel", paramLabel = "NAME",
            description = "The engine: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = Names.class)
    String engine;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads of the parallel engine (default: every available processor); the result is "
                    + "the same on any number.")
    Integer threads;

    /** The thread count asked for, or every available processor. */
    int threads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** A new engine of the kind {@code --engine} names; the caller closes it. */
    GradientEngine create() {
        return create(engine);
    }

    /** A new engine of the kind {@code name} (a recipe's, say) on {@link #threads()}; the caller closes it. */
    GradientEngine create(String name) {
        return EngineKind.create(name, threads());
    }

    /** The values {@code --engine} accepts, for the help text. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return EngineKind.ids().iterator();
        }
    }

    /** For a command whose {@code --engine} defaults to the reference engine, the oracle. */
    static final class ReferenceByDefault implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec argSpec) {
            return argSpec instanceof OptionSpec o && o.longestName().equals("--engine") ? EngineKind.REFERENCE.id() : null;
        }
    }
}
