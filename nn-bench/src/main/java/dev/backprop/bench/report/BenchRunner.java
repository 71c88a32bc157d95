package dev.backprop.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.backprop.core.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs a {@link Suite} with JMH, one configuration at a time, each in its own forks with the Vector API
 * module and the GC profiler, and gathers the results into one JMH JSON file ({@code jmh.json}), rewritten
 * after every configuration so that a stopped run keeps what it measured. Then the C FMA loop and PyTorch
 * ({@link FmaCheck}, {@link PyTorch}), the determinism hashes, the environment and the report.
 */
public final class BenchRunner {
    /** The merged JMH results in a report directory. */
    public static final String RESULTS = "jmh.json";
    /** What every fork needs besides the benchmarks' own flags. */
    static final List<String> JVM_ARGS = List.of("--add-modules=jdk.incubator.vector");

    /** The forks would each log the SIMD selection; the report records it once. */
    private static final String QUIET_LOG = "-Dorg.slf4j.simpleLogger.log.dev.backprop.simd.VectorSupport=warn";

    private BenchRunner() {
    }

    /**
     * The notices every fork prints on its own: the incubator module in use, and on JDK 23 and later the
     * deprecation of the {@code sun.misc.Unsafe} method JMH calls.
     */
    static boolean isNotice(String line) {
        return line.startsWith("WARNING: Using incubator modules")
                || line.startsWith("WARNING:") && (line.contains("sun.misc.Unsafe") || line.contains("org.openjdk.jmh.util.Utils"));
    }

    /**
     * What JMH echoes from its forks in silent mode, less the notices of {@link #isNotice}: anything else
     * (an error) reaches the user.
     */
    private static final class QuietLines extends OutputStream {
        private final PrintWriter out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        QuietLines(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (!text.isBlank() && !isNotice(text)) {
                    out.println(text);
                    out.flush();
                }
            } else {
                line.write(b);
            }
        }
    }

    /**
     * Runs {@code configs} into {@code dir}, forking {@code jvm} (null: the JVM running this) with the extra
     * flags {@code jvmArgs} (say {@code -XX:UseAVX=2}), printing one line per configuration to {@code out};
     * then, in the same sitting, the C FMA loop and, when {@code pytorch}, PyTorch on the same configurations;
     * then writes the determinism hashes and the environment.
     */
    public static void run(List<Suite.Config> configs, Suite.Mode mode, String jvm, List<String> jvmArgs, boolean pytorch,
            Path dir, PrintWriter out) throws IOException, RunnerException {
        Files.createDirectories(dir);
        List<String> forkArgs = new ArrayList<>(JVM_ARGS);
        forkArgs.addAll(jvmArgs);
        Environment environment = Environment.capture(jvm, forkArgs, mode.name().toLowerCase(Locale.ROOT) + ": "
                + mode.describe() + ", " + configs.size() + " configurations");
        out.println("load before the run: " + environment.entries().get("load before"));
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode merged = json.createArrayNode();
        Path results = dir.resolve(RESULTS);
        Path part = Files.createTempFile(dir, ".part-", ".json");
        PrintStream forkOutput = new PrintStream(new QuietLines(out), true, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        try {
            for (int i = 0; i < configs.size(); i++) {
                Suite.Config c = configs.get(i);
                new Runner(options(c, mode, jvm, jvmArgs, part).build(), OutputFormatFactory.createFormatInstance(forkOutput,
                        VerboseMode.SILENT)).run();
                JsonNode fresh = json.readTree(part.toFile());
                fresh.forEach(merged::add);
                byte[] bytes = json.writeValueAsBytes(merged);
                AtomicFiles.write(results, o -> o.write(bytes));
                double elapsed = (System.nanoTime() - start) / 1e9;
                double left = elapsed / (i + 1) * (configs.size() - i - 1);
                out.printf(Locale.ROOT, "[%" + digits(configs.size()) + "d/%d] %-95s %s   (%s elapsed, ~%s left)%n", i + 1,
                        configs.size(), c.describe(), headline(BenchResult.read(part)), clock(elapsed), clock(left));
                out.flush();
            }
        } finally {
            Files.deleteIfExists(part);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        FmaCheck.run(mode == Suite.Mode.QUICK, cores, dir.resolve(FmaCheck.FILE), out);
        if (pytorch) {
            PyTorch.run(configs, mode == Suite.Mode.QUICK, cores, dir.resolve(PyTorch.FILE), out);
        } else {
            Tools.writeAbsent(dir.resolve(PyTorch.FILE), PyTorch.INSTALL, "left out of this run (--no-pytorch)");
        }
        environment.recordLoadAfter();
        out.println("load after the run: " + environment.entries().get("load after"));
        out.println("determinism: hashing the gradient of every engine configuration ...");
        out.flush();
        Determinism.write(dir.resolve(Determinism.FILE), Determinism.compute(configs));
        environment.write(dir.resolve(Environment.FILE));
    }

    private static ChainedOptionsBuilder options(Suite.Config c, Suite.Mode mode, String jvm, List<String> jvmArgs, Path json) {
        List<String> append = new ArrayList<>(List.of(QUIET_LOG));
        append.addAll(jvmArgs);
        // the FMA loop runs boxed until C2 compiles it, which took 6-10 s on a loaded 2-core machine: 10 s of warm-up at least
        boolean fma = c.benchmark().equals("FmaPeakBenchmark");
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include("^dev\\.backprop\\.bench\\." + c.benchmark() + "\\.")
                .forks(mode.forks)
                .warmupIterations(fma ? Math.max(mode.warmups, 10) : mode.warmups)
                .warmupTime(TimeValue.milliseconds(fma ? Math.max(mode.warmupMillis, 1000) : mode.warmupMillis))
                .measurementIterations(mode.measurements).measurementTime(TimeValue.milliseconds(mode.measurementMillis))
                .threads(c.threads())
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .jvmArgsAppend(append.toArray(new String[0]))
                .resultFormat(ResultFormatType.JSON).result(json.toString());
        for (Map.Entry<String, String> p : c.params().entrySet()) {
            o.param(p.getKey(), p.getValue());
        }
        if (jvm != null) {
            o.jvm(jvm);
        }
        return o;
    }

    private static String headline(List<BenchResult> results) {
        if (results.isEmpty()) {
            return "no result";
        }
        BenchResult r = results.get(0);
        String error = Double.isNaN(r.error()) ? "" : String.format(Locale.ROOT, " ±%.1f%%", 100 * r.error() / r.score());
        if (r.benchmark().startsWith("EngineBenchmark")) {
            return String.format(Locale.ROOT, "%,12.0f examples/s%s", r.examplesPerSecond(), error);
        }
        return String.format(Locale.ROOT, "%,12.1f GFLOP/s%s", r.flopsPerSecond() / 1e9, error);
    }

    private static int digits(int n) {
        return Integer.toString(n).length();
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
