package dev.backprop.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backprop.core.data.FileFormatException;
import dev.backprop.parallel.EngineKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PyTorch on the same configurations as the suite, in the same sitting ({@code tools/torch-bench.py}, whose
 * JSON is kept as {@code pytorch.json} beside {@code jmh.json}), and the pairs of nn and PyTorch figures the
 * report divides: examples/s of the gradients of the two large networks at a batch of 256 and the full batch,
 * GFLOP/s of the GEMMs.
 */
public final class PyTorch {
    /** PyTorch's results in a report directory. */
    public static final String FILE = "pytorch.json";
    /** The script, under the checkout's tools/. */
    static final String SCRIPT = "torch-bench.py";
    /** How a Debian machine gets PyTorch. */
    public static final String INSTALL = "apt-get install python3-torch";

    private PyTorch() {
    }

    /** One gradient configuration: forward and backward of the summed half squared error over the batch. */
    public record Gradient(String network, String model, int batch, int threads, double examplesPerSecond) {
    }

    /** One single-threaded GEMM, its shape "m-n-k" as GemmBenchmark names it. */
    public record Gemm(String shape, double flopsPerSecond) {
    }

    /**
     * What {@code pytorch.json} holds: the results, or why there are none.
     *
     * @param reason why PyTorch was not measured; null when it was
     * @param version PyTorch's version; {@code blas} the OpenBLAS kernel it ran on and what was removed from the environment
     */
    public record Run(String reason, String version, String blas, List<Gradient> gradients, List<Gemm> gemms) {
        /** Whether PyTorch was measured. */
        public boolean available() {
            return reason == null;
        }

        /** The report's sentence when it was not. */
        public String absentMessage() {
            return "PyTorch was not measured: " + reason + ". To see nn ÷ PyTorch for every configuration, install it "
                    + "(Debian: `" + INSTALL + "`) and run `nn bench` again; `--no-pytorch` leaves it out.";
        }

        static Run absent(String reason) {
            return new Run(reason, null, null, List.of(), List.of());
        }
    }

    /** Reads {@code pytorch.json}; a missing file is a run without PyTorch that says so. */
    public static Run read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Run.absent("no " + file.getFileName() + " beside the results");
        }
        JsonNode root = Tools.readJson(file);
        if (root == null || !root.path("available").isBoolean()) {
            throw new FileFormatException(file, "", "is not tools/torch-bench.py's JSON: it lacks \"available\"");
        }
        if (!root.get("available").asBoolean()) {
            return Run.absent(root.path("reason").asText("no reason given"));
        }
        List<Gradient> gradients = new ArrayList<>();
        JsonNode g = root.path("gradients");
        for (int i = 0; i < g.size(); i++) {
            JsonNode e = g.get(i);
            String where = "gradients[" + i + "]";
            gradients.add(new Gradient(text(file, where, e, "network"), e.path("model").asText("sigmoid-sse"),
                    (int) number(file, where, e, "batch"), (int) number(file, where, e, "threads"),
                    number(file, where, e, "examples_per_second")));
        }
        List<Gemm> gemms = new ArrayList<>();
        JsonNode m = root.path("gemms");
        for (int i = 0; i < m.size(); i++) {
            String where = "gemms[" + i + "]";
            gemms.add(new Gemm(text(file, where, m.get(i), "shape"), number(file, where, m.get(i), "gflops") * 1e9));
        }
        JsonNode blas = root.path("blas");
        StringBuilder b = new StringBuilder(blas.path("core").isTextual() ? "OpenBLAS kernel " + blas.get("core").asText()
                : "no OpenBLAS kernel recorded");
        if (blas.path("config").isTextual()) {
            b.append(" (").append(blas.get("config").asText()).append(')');
        }
        List<String> removed = new ArrayList<>();
        root.path("environment_removed").fields().forEachRemaining(e -> removed.add(e.getKey() + "=" + e.getValue().asText()));
        b.append(removed.isEmpty() ? "; nothing removed from the environment" : "; removed from its environment: "
                + String.join(" ", removed));
        return new Run(null, root.path("torch").asText("?"), b.toString(), gradients, gemms);
    }

    private static String text(Path file, String where, JsonNode e, String field) throws FileFormatException {
        if (!e.path(field).isTextual()) {
            throw new FileFormatException(file, where, "lacks the text field \"" + field + "\"");
        }
        return e.get(field).asText();
    }

    private static double number(Path file, String where, JsonNode e, String field) throws FileFormatException {
        if (!e.path(field).isNumber()) {
            throw new FileFormatException(file, where, "lacks the number \"" + field + "\"");
        }
        return e.get(field).asDouble();
    }

    // ---- running it

    /**
     * The script's arguments for {@code configs}: every large network's sigmoid gradient at a batch of 256 or
     * the full batch on 1 to {@code cores} threads, and every GEMM shape.
     */
    static List<String> arguments(List<Suite.Config> configs, int cores, boolean quick) {
        Set<String> gradients = new LinkedHashSet<>();
        Set<String> gemms = new LinkedHashSet<>();
        for (Suite.Config c : configs) {
            Map<String, String> p = c.params();
            if (c.isEngine() && Suite.LARGE.contains(p.get("network")) && p.get("model").equals("sigmoid-sse")
                    && (p.get("batch").equals("256") || p.get("batch").equals(Integer.toString(Suite.FULL_BATCH)))
                    && Integer.parseInt(p.get("threads")) <= cores) {
                gradients.add(p.get("network") + ":" + p.get("batch") + ":" + p.get("threads"));
            } else if (c.benchmark().equals("GemmBenchmark")) {
                gemms.add(p.get("shape"));
            }
        }
        List<String> args = new ArrayList<>();
        gradients.forEach(g -> args.addAll(List.of("--gradient", g)));
        gemms.forEach(g -> args.addAll(List.of("--gemm", g)));
        if (quick) {
            args.add("--quick");
        }
        return args;
    }

    /**
     * Runs the script on {@code configs} into {@code file}, passing its progress lines to {@code out}; when it
     * cannot run, or fails, {@code file} says why.
     */
    static void run(List<Suite.Config> configs, boolean quick, int cores, Path file, PrintWriter out) throws IOException {
        List<String> args = arguments(configs, cores, quick);
        if (args.isEmpty() || args.equals(List.of("--quick"))) {
            Tools.writeAbsent(file, INSTALL, "the configurations run have no counterpart in PyTorch (the large networks' gradients, GEMMs)");
            return;
        }
        Path tools = Tools.find(SCRIPT);
        if (tools == null) {
            Tools.writeAbsent(file, INSTALL, "tools/" + SCRIPT + " was not found (nn bench runs it from a checkout of nn)");
            return;
        }
        List<String> command = new ArrayList<>(List.of("python3", tools.resolve(SCRIPT).toString(), "--out", file.toString()));
        command.addAll(args);
        out.println("pytorch: " + String.join(" ", command.subList(1, command.size())));
        out.flush();
        Tools.Outcome o;
        try {
            o = Tools.run(command, null, out);
        } catch (IOException e) {
            Tools.writeAbsent(file, INSTALL, "python3 could not be started (" + e.getMessage() + ")");
            return;
        }
        if (o.exitCode() != 0) {
            Tools.writeAbsent(file, INSTALL, "tools/" + SCRIPT + " failed with exit code " + o.exitCode() + ": " + o.lastLine());
        } else if (!Files.isRegularFile(file)) {
            Tools.writeAbsent(file, INSTALL, "tools/" + SCRIPT + " wrote no " + file.getFileName());
        }
    }

    // ---- side by side

    /**
     * One configuration measured by both: nn's figure and PyTorch's in the same unit (examples/s or FLOP/s),
     * with the model FLOP/s of each for the fraction of the FMA peak.
     *
     * @param nnEngine the engine of nn's figure: simd on one thread, parallel on more; empty for a GEMM
     * @param nn NaN when nn did not run the configuration
     */
    public record Row(String configuration, int threads, String nnEngine, double nn, double pytorch, double nnFlops,
            double pytorchFlops, boolean gemm) {
        /** nn ÷ PyTorch. */
        public double ratio() {
            return nn / pytorch;
        }
    }

    /** PyTorch's configurations beside nn's results for them, in PyTorch's order. */
    public static List<Row> pair(Run run, List<BenchResult> results) {
        List<Row> rows = new ArrayList<>();
        for (Gradient g : run.gradients()) {
            BenchResult nn = nnGradient(results, g);
            double nnPerExample = nn == null ? Double.NaN : nn.flopsPerSecond() / nn.examplesPerSecond();
            rows.add(new Row(g.network() + ", batch " + String.format(java.util.Locale.ROOT, "%,d", g.batch()), g.threads(),
                    nn == null ? "" : nn.param("engine", ""), nn == null ? Double.NaN : nn.examplesPerSecond(),
                    g.examplesPerSecond(), nn == null ? Double.NaN : nn.flopsPerSecond(), g.examplesPerSecond() * nnPerExample,
                    false));
        }
        for (Gemm m : run.gemms()) {
            BenchResult nn = results.stream().filter(r -> r.benchmark().equals("GemmBenchmark.gemm")
                    && r.param("shape", "").equals(m.shape()) && r.param("a", "rows").equals("rows")
                    && r.param("kernels", "vector").equals("vector")).findFirst().orElse(null);
            double nnFlops = nn == null ? Double.NaN : nn.flopsPerSecond();
            rows.add(new Row("GEMM " + m.shape().replace("-", "×"), 1, "", nnFlops, m.flopsPerSecond(), nnFlops,
                    m.flopsPerSecond(), true));
        }
        return rows;
    }

    /** The SIMD engine for one thread (the parallel engine on one when it is missing), the parallel engine on more. */
    private static BenchResult nnGradient(List<BenchResult> results, Gradient g) {
        Map<String, BenchResult> byEngine = new LinkedHashMap<>();
        for (BenchResult r : results) {
            if (r.benchmark().equals("EngineBenchmark.gradient") && r.param("network", "").equals(g.network())
                    && r.param("model", "").equals(g.model()) && r.param("batch", "").equals(Integer.toString(g.batch()))
                    && r.param("threads", "1").equals(Integer.toString(g.threads()))) {
                byEngine.putIfAbsent(r.param("engine", ""), r);
            }
        }
        String simd = EngineKind.SIMD.id();
        return g.threads() == 1 && byEngine.containsKey(simd) ? byEngine.get(simd) : byEngine.get(EngineKind.PARALLEL.id());
    }
}
