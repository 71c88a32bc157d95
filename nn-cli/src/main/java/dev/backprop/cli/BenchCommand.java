package dev.backprop.cli;

import dev.backprop.bench.Isa;
import dev.backprop.bench.report.BenchResult;
import dev.backprop.bench.report.BenchRunner;
import dev.backprop.bench.report.Comparison;
import dev.backprop.bench.report.Report;
import dev.backprop.bench.report.Suite;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nn bench}: runs the benchmark suite and writes a report, or reports or compares earlier runs. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs the JMH benchmark suite (engines × threads × networks × batches, the FMA peak, GEMMs) and writes "
                + "report.md, a self-contained report.html and their charts; or writes the report of an earlier "
                + "run's JMH JSON; or compares two runs.",
            "",
            "The full suite takes about 50 minutes on 2 cores, and PyTorch about 5 more when it is installed; --quick "
                + "about a minute. Run it on a quiet machine: the report records the load before and after."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true)
    Action action = new Action();

    static final class Action {
        @Option(names = "--quick", description = "A smoke run: a representative few configurations, 1 fork, short iterations.")
        boolean quick;

        @Option(names = "--report", paramLabel = "JMH.json",
                description = "Write the report of an existing JMH JSON file (with environment.json and determinism.json "
                        + "beside it when they exist) instead of running anything.")
        Path report;

        @Option(names = "--compare", arity = "2", paramLabel = "JSON",
                description = "Print the change from run A to run B (two JMH JSON files) for every configuration.")
        List<Path> compare;
    }

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory for jmh.json, environment.json, determinism.json, report.md, report.html and charts/ "
                    + "(default: bench-reports/<date-time>, or the JSON's directory with --report).")
    Path out;

    @Option(names = "--jvm", paramLabel = "JAVA",
            description = "The java executable the benchmarks fork (default: the one running nn), e.g. a JDK 25.")
    String jvm;

    @Option(names = "--jvm-args", paramLabel = "FLAGS",
            description = "Extra JVM flags for every fork, separated by spaces, e.g. -XX:UseAVX=2 to measure the 16 ymm "
                    + "registers of AVX2 on an AVX-512 CPU. The FMA peak's accumulators follow the ISA these flags leave.")
    String jvmArgs;

    @Option(names = "--no-pytorch",
            description = "Leave out PyTorch (tools/torch-bench.py), which otherwise runs the same networks, batches, thread "
                    + "counts and GEMMs after the JMH forks when torch is importable (Debian: apt-get install python3-torch).")
    boolean noPytorch;

    @Option(names = "--only", paramLabel = "REGEX",
            description = "Run only the configurations whose description matches, say 'network=784-256-128-10'.")
    String only;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        if (action.compare != null) {
            Path a = action.compare.get(0);
            Path b = action.compare.get(1);
            o.print(Comparison.format(Comparison.compare(BenchResult.read(a), BenchResult.read(b)), a.toString(), b.toString()));
            return 0;
        }
        if (action.report != null) {
            Path dir = out != null ? out : action.report.toAbsolutePath().getParent();
            Report.write(dir, action.report, null);
            o.println("report: " + dir.resolve("report.md") + " and " + dir.resolve("report.html"));
            return 0;
        }
        Suite.Mode mode = action.quick ? Suite.Mode.QUICK : Suite.Mode.FULL;
        List<String> forkArgs = jvmArgs == null || jvmArgs.isBlank() ? List.of() : List.of(jvmArgs.trim().split("\\s+"));
        Isa isa;
        try {
            isa = Isa.forFork(forkArgs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--jvm-args: " + e.getMessage());
        }
        List<Suite.Config> configs = Suite.configs(mode, Runtime.getRuntime().availableProcessors(), isa);
        if (only != null) {
            Pattern p = Pattern.compile(only);
            configs = configs.stream().filter(c -> p.matcher(c.describe()).find()).toList();
            if (configs.isEmpty()) {
                throw new IllegalArgumentException("--only '" + only + "' matches none of the suite's configurations");
            }
        }
        if (!hasJmh()) {
            return runWithBenchmarksJar(o);
        }
        Path dir = out != null ? out : OutputDirectory.dated("bench-reports");
        o.println("nn bench: " + configs.size() + " configurations, " + mode.describe() + ", into " + dir);
        o.println("isa of the forks: " + isa.describe() + (forkArgs.isEmpty() ? "" : " (with " + String.join(" ", forkArgs) + ")"));
        o.flush();
        BenchRunner.run(configs, mode, jvm, forkArgs, !noPytorch, dir, o);
        Report.write(dir, dir.resolve(BenchRunner.RESULTS), commandLine());
        o.println("report: " + dir.resolve("report.md") + " and " + dir.resolve("report.html"));
        return 0;
    }

    /**
     * JMH and the benchmarks travel in nn-bench's own jar, so that nn.jar carries only what the other commands
     * need. A run of the suite is therefore made by a second JVM whose class path has both jars (JMH's forks
     * inherit it); reports and comparisons need no JMH and run here.
     */
    private static boolean hasJmh() {
        try {
            Class.forName("org.openjdk.jmh.runner.Runner", false, BenchCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** {@code nn bench} with the same arguments in a JVM that has the benchmarks jar; returns its exit code. */
    private int runWithBenchmarksJar(PrintWriter o) throws IOException, InterruptedException, URISyntaxException {
        Path self = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path benchmarks = benchmarksJar(self, System.getenv(BENCHMARKS_JAR_ENV));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", self + File.pathSeparator + benchmarks,
                Main.class.getName()));
        command.addAll(spec.root().commandLine().getParseResult().originalArgs()); // "bench" and its options
        Process child = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                o.println(line);
                o.flush();
            }
        }
        return child.waitFor();
    }

    /** The environment variable that names the benchmarks jar when it is not where the build puts it. */
    static final String BENCHMARKS_JAR_ENV = "NN_BENCHMARKS_JAR";

    /**
     * The benchmarks jar: {@code override} when set, else where the build puts it beside {@code nnJar}
     * ({@code nn-cli/target/nn.jar} → {@code nn-bench/target/benchmarks.jar}).
     */
    static Path benchmarksJar(Path nnJar, String override) {
        Path jar = override != null && !override.isEmpty() ? Path.of(override)
                : nnJar.toAbsolutePath().getParent().resolveSibling("../nn-bench/target/benchmarks.jar").normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the benchmarks jar " + jar + " is missing: build it with "
                    + "'mvn -B -pl nn-bench -am package -DskipTests', or set " + BENCHMARKS_JAR_ENV + " to its path");
        }
        return jar;
    }

    /** The command as typed, for the report. */
    private String commandLine() {
        return "./nn " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }
}
