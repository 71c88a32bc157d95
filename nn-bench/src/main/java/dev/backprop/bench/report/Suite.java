package dev.backprop.bench.report;

import dev.backprop.bench.Isa;
import dev.backprop.parallel.EngineKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which configurations a report measures, and how long. JMH would cross every parameter with every
 * other; the suite lists the combinations that mean something: thread counts for the parallel engine only,
 * the full 60,000-example batch for the two large networks only, and the reference engine where one call
 * takes less than a second or so.
 */
public final class Suite {
    /** The large networks, which also run the full batch. */
    static final List<String> LARGE = List.of("784-256-128-10", "784-1024-1024-10");
    static final List<String> SMALL = List.of("3-3-1", "64-32-1");
    /** The network of the headline table and of nn train's recipe. */
    static final String HEADLINE = "784-256-128-10";
    static final int FULL_BATCH = 60_000;

    /** A full report or a smoke run. */
    public enum Mode {
        /**
         * Every configuration; 3 forks of 4 warm-up and 4 measured iterations of 1 s. Two warm-up seconds were
         * too few: the parallel engine's first measured second on 2 threads still ran a third slow.
         */
        FULL(3, 4, 1000, 4, 1000),
        /**
         * A representative few, 1 fork of 2 + 2 iterations of 200 ms: proves the suite runs, in about a minute.
         * Its figures are not warmed up enough to quote.
         */
        QUICK(1, 2, 200, 2, 200);

        final int forks;
        final int warmups;
        final int warmupMillis;
        final int measurements;
        final int measurementMillis;

        Mode(int forks, int warmups, int warmupMillis, int measurements, int measurementMillis) {
            this.forks = forks;
            this.warmups = warmups;
            this.warmupMillis = warmupMillis;
            this.measurements = measurements;
            this.measurementMillis = measurementMillis;
        }

        /** "3 forks × (2 + 4) iterations of 1000 ms". */
        public String describe() {
            return forks + (forks == 1 ? " fork" : " forks") + " × (" + warmups + " warm-up + " + measurements
                    + " measured iterations of " + (measurementMillis >= 1000 ? measurementMillis / 1000 + " s" : measurementMillis + " ms") + ")";
        }
    }

    /**
     * One JMH run: a benchmark class, its parameters and JMH's thread count.
     *
     * @param benchmark the simple name of a class in {@code dev.backprop.bench}
     */
    public record Config(String benchmark, Map<String, String> params, int threads) {
        /** "EngineBenchmark engine=parallel threads=2 ...". */
        public String describe() {
            return BenchResult.describe(benchmark, threads, params);
        }

        boolean isEngine() {
            return benchmark.equals("EngineBenchmark");
        }
    }

    private Suite() {
    }

    /** The configurations of {@code mode} on a machine of {@code cores} cores, for forks of this JVM's ISA. */
    public static List<Config> configs(Mode mode, int cores) {
        return configs(mode, cores, Isa.current());
    }

    /**
     * The configurations of {@code mode} on a machine of {@code cores} cores whose forks compile to {@code isa}.
     * The FMA peak runs with the accumulators that fit the register file and, in a full run on 32 registers, with
     * the 16-register count too: the report's ceiling is the best of them.
     */
    public static List<Config> configs(Mode mode, int cores, Isa isa) {
        List<Config> c = new ArrayList<>();
        String fits = Integer.toString(isa.accumulators());
        c.add(fma(fits, 1));
        if (mode == Mode.QUICK) {
            c.add(gemm("256-785-256"));
            for (String network : concat(SMALL, LARGE)) {
                engines(c, network, 32, "sigmoid-sse", true, 2);
            }
            engines(c, HEADLINE, 256, "sigmoid-sse", false, 2);
            parallel(c, HEADLINE, FULL_BATCH, "sigmoid-sse", 2);
            return c;
        }
        if (isa.vectorRegisters() > 16) {
            c.add(fma("12", 1));
        }
        if (cores > 1) {
            c.add(fma(fits, cores));
        }
        for (String shape : List.of("1024-1024-1024", "256-256-785", "256-785-256")) {
            c.add(gemm(shape));
        }
        for (String network : SMALL) {
            for (int batch : new int[] {1, 32, 256}) {
                engines(c, network, batch, "sigmoid-sse", true, 4);
            }
        }
        for (String network : LARGE) {
            for (int batch : new int[] {1, 32, 256}) {
                engines(c, network, batch, "sigmoid-sse", true, 4);
            }
            engines(c, network, FULL_BATCH, "sigmoid-sse", false, 4);
        }
        // nn train's recipe: ReLU and softmax with the cross-entropy, where the activations cost more
        engines(c, HEADLINE, 256, "relu-softmax", false, 2);
        parallel(c, HEADLINE, FULL_BATCH, "relu-softmax", 2);
        return c;
    }

    private static Config fma(String accumulators, int threads) {
        return new Config("FmaPeakBenchmark", Map.of("accumulators", accumulators), threads);
    }

    private static Config gemm(String shape) {
        return new Config("GemmBenchmark", ordered("shape", shape, "a", "rows", "kernels", "vector"), 1);
    }

    /** The SIMD engine, the parallel engine on 1..maxThreads threads and, if asked, the reference. */
    private static void engines(List<Config> c, String network, int batch, String model, boolean reference, int maxThreads) {
        if (reference) {
            c.add(engine(EngineKind.REFERENCE, 1, network, batch, model));
        }
        c.add(engine(EngineKind.SIMD, 1, network, batch, model));
        parallel(c, network, batch, model, maxThreads);
    }

    private static void parallel(List<Config> c, String network, int batch, String model, int maxThreads) {
        for (int t = 1; t <= maxThreads; t++) {
            c.add(engine(EngineKind.PARALLEL, t, network, batch, model));
        }
    }

    private static Config engine(EngineKind engine, int threads, String network, int batch, String model) {
        return new Config("EngineBenchmark", ordered("engine", engine.id(), "threads", Integer.toString(threads), "network",
                network, "batch", Integer.toString(batch), "model", model), 1);
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
