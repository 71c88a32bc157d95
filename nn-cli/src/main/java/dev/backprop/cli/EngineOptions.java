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

    /** The most threads {@code --threads} takes: far more than any machine gains from, far fewer than a pool allows. */
    static final int MAX_THREADS = 1024;

    /** The thread count asked for, or every available processor; a count no engine can be made with is refused. */
    int threads() {
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (n < 1 || n > MAX_THREADS) {
            throw new IllegalArgumentException("--threads must be from 1 to " + MAX_THREADS + " (this machine has "
                    + Runtime.getRuntime().availableProcessors() + " processors), got " + n);
        }
        return n;
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
