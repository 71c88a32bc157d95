package dev.backprop.bench.report;

import dev.backprop.bench.Isa;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.parallel.EngineKind;
import dev.backprop.simd.SimdEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Turns the results of a run (JMH's JSON, the environment, the determinism hashes) into {@code report.md},
 * {@code report.html} and the charts: the FMA ceiling (the best of the Java and the C loop at the benchmarks'
 * width), examples/s against threads per engine and network, nn beside PyTorch, speedup against the ideal
 * line, parallel efficiency, GFLOP/s against the ceiling, and bytes allocated per step.
 */
public final class Report {
    private static final String ENGINE = "EngineBenchmark.gradient";
    private static final String FMA = "FmaPeakBenchmark.fmaPeak";
    private static final String GEMM = "GemmBenchmark.gemm";

    private final List<BenchResult> results;
    private final Environment environment;
    private final List<Determinism.Hash> hashes;
    private final String command;
    private final int cores;
    private final double peak1;
    private final double peakAll;
    private final boolean peakAllMeasured;

    private final Isa isa;
    private final double javaPeak1;
    private final FmaCheck.Loop cLoop;
    private final FmaCheck.Run cCheck;
    private final PyTorch.Run pytorch;

    private Report(List<BenchResult> results, Environment environment, List<Determinism.Hash> hashes, String command,
            FmaCheck.Run cCheck, PyTorch.Run pytorch) {
        this.results = results;
        this.environment = environment;
        this.hashes = hashes;
        this.command = command;
        this.cCheck = cCheck;
        this.pytorch = pytorch;
        this.isa = Isa.parse(environment.entries().get(Environment.ISA));
        int c;
        try {
            c = Integer.parseInt(environment.entries().getOrDefault("cores", ""));
        } catch (NumberFormatException e) {
            c = Runtime.getRuntime().availableProcessors();
        }
        this.cores = c;
        // the ceiling: the best FMA loop at the benchmarks' width, Java's (any accumulator count) or C's
        this.javaPeak1 = results.stream().filter(r -> r.benchmark().equals(FMA) && r.threads() == 1)
                .mapToDouble(BenchResult::flopsPerSecond).max().orElse(Double.NaN);
        this.cLoop = isa == null ? null : cCheck.at(isa.bits());
        this.peak1 = best(javaPeak1, cLoop == null ? Double.NaN : cLoop.oneThread());
        double all = best(results.stream().filter(r -> r.benchmark().equals(FMA) && r.threads() > 1)
                .mapToDouble(BenchResult::flopsPerSecond).max().orElse(Double.NaN),
                cLoop == null || cLoop.threads() != cores ? Double.NaN : cLoop.allThreads());
        this.peakAllMeasured = !Double.isNaN(all);
        this.peakAll = peakAllMeasured ? all : peak1 * cores;
    }

    /** The larger of two figures, either of which may be NaN (not measured). */
    private static double best(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    /**
     * Writes {@code report.md}, {@code report.html} and {@code charts/} into {@code dir} from the results
     * in {@code dir/jmh.json} or {@code results} beside it; {@code command} is the command that made them.
     */
    public static void write(Path dir, Path results, String command) throws IOException {
        Path folder = results.toAbsolutePath().getParent();
        Report report = new Report(BenchResult.read(results), Environment.read(folder.resolve(Environment.FILE)),
                Determinism.read(folder.resolve(Determinism.FILE)), command, FmaCheck.read(folder.resolve(FmaCheck.FILE)),
                PyTorch.read(folder.resolve(PyTorch.FILE)));
        Page page = report.build();
        for (Map.Entry<String, byte[]> chart : page.charts().entrySet()) {
            byte[] png = chart.getValue();
            AtomicFiles.write(dir.resolve("charts").resolve(chart.getKey() + ".png"), out -> out.write(png));
        }
        byte[] md = page.markdown().getBytes(StandardCharsets.UTF_8);
        byte[] html = page.html().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("report.md"), out -> out.write(md));
        AtomicFiles.write(dir.resolve("report.html"), out -> out.write(html));
    }

    Page build() throws IOException {
        Page page = new Page("nn benchmark report");
        page.paragraph("Every figure is the mean of JMH forks on one machine; ratios (speedups, fractions of the FMA peak, "
                + "engine against reference) are taken between results of the same run. Examples/s is the score "
                + "(gradients per second) times the batch; GFLOP/s count the model's FLOPs: the three matrix products of "
                + "back-propagation at 2 FLOP per multiply-add. The machine is shared: the load before and after the run "
                + "says what else was running.");
        page.heading("Environment");
        List<List<String>> env = new ArrayList<>();
        environment.entries().forEach((k, v) -> env.add(List.of(k, v)));
        page.table(List.of("", ""), env);
        if (command != null) {
            page.code(command);
        }
        ceiling(page);
        headline(page);
        sideBySide(page);
        charts(page);
        kernels(page);
        allResults(page);
        determinism(page);
        return page;
    }

    // ---- the headline table

    private void headline(Page page) {
        List<BenchResult> rows = engine(r -> r.param("network", "").equals(Suite.HEADLINE)
                && r.param("model", "").equals("sigmoid-sse") && (batch(r) == 256 || batch(r) == Suite.FULL_BATCH));
        if (rows.isEmpty()) {
            return;
        }
        page.heading("Headline: " + Suite.HEADLINE + ", sigmoid, half squared error");
        page.paragraph("The headline network at a mini-batch of 256 and at the full batch of 60,000 examples. "
                + "\"vs 1 thread\" is the parallel engine's speedup over itself on one thread; \"vs reference\" is against "
                + "the reference engine at the same batch; the FMA peak is the measured one of one core times the cores used.");
        page.table(ENGINE_HEADER, rows.stream().map(this::engineRow).toList());
    }

    private static final List<String> ENGINE_HEADER = List.of("network", " batch", "model", "engine", " threads",
            " examples/s", " ±", " vs 1 thread", " vs reference", " GFLOP/s", " % of FMA peak", " B/op", "D hash");

    private List<String> engineRow(BenchResult r) {
        BenchResult one = find(r, EngineKind.PARALLEL, 1);
        BenchResult reference = find(r, EngineKind.REFERENCE, 1);
        int threads = threads(r);
        double peak = peak1 * Math.min(threads, cores);
        return List.of(r.param("network", ""), String.format(Locale.ROOT, "%,d", batch(r)), r.param("model", ""),
                r.param("engine", ""), Integer.toString(threads), String.format(Locale.ROOT, "%,.0f", r.examplesPerSecond()),
                percent(r.error() / r.score()),
                kind(r) == EngineKind.PARALLEL && one != null ? ratio(r.score() / one.score()) : "",
                reference != null && reference != r ? ratio(r.score() / reference.score()) : "",
                String.format(Locale.ROOT, "%.1f", r.flopsPerSecond() / 1e9),
                Double.isNaN(peak) ? "" : percent(r.flopsPerSecond() / peak), bytes(r.bytesPerOp()), hashOf(r));
    }

    // ---- the ceiling and PyTorch

    private void ceiling(Page page) {
        if (Double.isNaN(peak1)) {
            return;
        }
        page.heading("The FMA ceiling");
        StringBuilder p = new StringBuilder();
        if (isa != null) {
            p.append(String.format(Locale.ROOT, "The benchmarks ran on %s: %d vector registers of %d bits (%d float lanes); "
                    + "the FMA loop keeps %d accumulators and its two operands in them, each updated as `acc = x.fma(y, acc)`. ",
                    isa.name(), isa.vectorRegisters(), isa.bits(), isa.lanes(), isa.accumulators()));
        }
        p.append(String.format(Locale.ROOT, "FmaPeakBenchmark: %s GFLOP/s on one core", gflops(javaPeak1)));
        if (cLoop != null) {
            p.append(String.format(Locale.ROOT, "; the C loop of tools/fma-peak.c (%s, %d accumulators): %s GFLOP/s, the Java "
                    + "loop at %s of it", cLoop.isa(), cLoop.accumulators(), gflops(cLoop.oneThread()),
                    percent(javaPeak1 / cLoop.oneThread())));
        }
        p.append(String.format(Locale.ROOT, ". The ceiling every \"%% of FMA peak\" here divides by is the higher: %s GFLOP/s "
                + "on one core, %s on %d%s.", gflops(peak1), gflops(peakAll), cores,
                peakAllMeasured ? " cores" : " cores (one core's times the cores; not measured)"));
        if (isa != null) {
            p.append(String.format(Locale.ROOT, " At %d FMA units × %d lanes × 2 FLOP per cycle that is a clock of %.2f GHz.",
                    isa.fmaUnits(), isa.lanes(), isa.clockGhz(peak1)));
        }
        page.paragraph(p.toString());
        if (cCheck.reason() != null) {
            page.paragraph("The C check did not run: " + cCheck.reason() + ".");
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (FmaCheck.Loop l : cCheck.loops()) {
                rows.add(List.of("C, " + l.isa(), Integer.toString(l.bits()), Integer.toString(l.accumulators()),
                        gflops(l.oneThread()), l.threads() > 1 ? gflops(l.allThreads()) + " on " + l.threads() : ""));
            }
            page.table(List.of("loop", " bits", " accumulators", " GFLOP/s, 1 core", " GFLOP/s, all cores"), rows);
        }
    }

    private void sideBySide(Page page) {
        page.heading("Side by side with PyTorch");
        if (!pytorch.available()) {
            page.paragraph(pytorch.absentMessage());
            return;
        }
        page.paragraph("PyTorch " + pytorch.version() + " (tools/torch-bench.py, " + pytorch.blas() + ") on the same "
                + "configurations in the same sitting: forward and backward of the summed half squared error with "
                + "torch.set_num_threads(threads), the median of timed repeats after a warm-up; GEMMs on one thread. nn's "
                + "figure is the SIMD engine on one thread and the parallel engine on more. Its JSON is pytorch.json, beside jmh.json.");
        List<List<String>> rows = new ArrayList<>();
        for (PyTorch.Row r : PyTorch.pair(pytorch, results)) {
            double peak = peak1 * Math.min(r.threads(), cores);
            String nn = r.gemm() ? gflops(r.nn()) : String.format(Locale.ROOT, "%,.0f", r.nn());
            String torch = r.gemm() ? gflops(r.pytorch()) : String.format(Locale.ROOT, "%,.0f", r.pytorch());
            rows.add(List.of(r.configuration(), Integer.toString(r.threads()), r.gemm() ? "GFLOP/s" : "examples/s",
                    r.nnEngine(), Double.isNaN(r.nn()) ? "not run" : nn, torch,
                    Double.isNaN(r.nn()) ? "" : String.format(Locale.ROOT, "%.2f", r.ratio()),
                    percent(r.nnFlops() / peak), percent(r.pytorchFlops() / peak)));
        }
        page.table(List.of("configuration", " threads", "unit", "nn engine", " nn", " PyTorch", " nn ÷ PyTorch",
                " nn % of FMA peak", " PyTorch % of FMA peak"), rows);
    }

    private static String gflops(double flopsPerSecond) {
        return Double.isNaN(flopsPerSecond) ? "" : String.format(Locale.ROOT, "%.1f", flopsPerSecond / 1e9);
    }

    // ---- charts

    private void charts(Page page) throws IOException {
        List<BenchResult> engine = engine(r -> true);
        if (engine.isEmpty()) {
            return;
        }
        page.heading("Examples per second against threads");
        page.paragraph("One chart per network. Lines: the parallel engine on 1 to 4 threads at each batch; points at 1 "
                + "thread: the SIMD engine (one core, no pool) and the double-precision reference engine. Log scale.");
        for (String network : distinct(engine, r -> r.param("network", ""))) {
            page.chart("throughput-" + network, network + ": examples/s against threads", png(throughputChart(network)));
        }
        List<String> series = parallelSeries();
        if (!series.isEmpty()) {
            page.heading("Speedup and parallel efficiency");
            page.paragraph("The parallel engine's examples/s on t threads divided by its examples/s on 1 thread, in the same "
                    + "run, with the ideal line (t) and the ideal on this machine's " + cores + " cores (min(t, " + cores
                    + ")). Efficiency is speedup ÷ t.");
            page.chart("speedup", "speedup against threads", png(speedupChart(series, false)));
            page.chart("efficiency", "parallel efficiency against threads", png(speedupChart(series, true)));
            page.table(List.of("series", " 1", " 2", " 3", " 4"), efficiencyRows(series));
        }
        List<String> large = largeCategories();
        if (!Double.isNaN(peak1) && !large.isEmpty()) {
            page.heading("GFLOP/s against the FMA peak");
            page.paragraph(String.format(Locale.ROOT, "The FMA ceiling: %.1f GFLOP/s on one core, %.1f GFLOP/s on all %d "
                    + "cores%s. The bars are the model's GFLOP/s of each engine on the two large networks.", peak1 / 1e9,
                    peakAll / 1e9, cores, peakAllMeasured ? "" : " (one core's peak times the cores; not measured)"));
            page.chart("gflops", "model GFLOP/s against the FMA peak", png(gflopsChart(large)));
        }
        List<BenchResult> headline = engine(r -> r.param("network", "").equals(Suite.HEADLINE)
                && r.param("model", "").equals("sigmoid-sse"));
        if (!headline.isEmpty()) {
            page.heading("Bytes allocated per step");
            page.paragraph("JMH's gc.alloc.rate.norm: bytes allocated per gradient call, for " + Suite.HEADLINE
                    + ". A steady-state step allocates nothing; what remains is JMH's own noise floor.");
            page.chart("allocation", "bytes allocated per gradient call, " + Suite.HEADLINE, png(allocationChart(headline)));
        }
    }

    /** "network, batch" of the large networks' sigmoid results at a mini-batch of 256 and the full batch. */
    private List<String> largeCategories() {
        List<String> categories = new ArrayList<>();
        for (String network : Suite.LARGE) {
            for (int batch : new int[] {256, Suite.FULL_BATCH}) {
                if (!engine(r -> matches(r, network, batch, "sigmoid-sse", EngineKind.SIMD)).isEmpty()
                        || !engine(r -> matches(r, network, batch, "sigmoid-sse", EngineKind.PARALLEL)).isEmpty()) {
                    categories.add(network + ", " + String.format(Locale.ROOT, "%,d", batch));
                }
            }
        }
        return categories;
    }

    private XYChart throughputChart(String network) {
        XYChart chart = xy(network + ": examples/s", "threads", "examples/s");
        chart.getStyler().setYAxisLogarithmic(true);
        for (String model : distinct(engine(r -> r.param("network", "").equals(network)), r -> r.param("model", ""))) {
            for (int batch : batches(network, model)) {
                String suffix = ", batch " + String.format(Locale.ROOT, "%,d", batch) + (model.equals("sigmoid-sse") ? "" : ", " + model);
                List<BenchResult> parallel = sortedByThreads(engine(r -> matches(r, network, batch, model, EngineKind.PARALLEL)));
                if (!parallel.isEmpty()) {
                    line(chart, EngineKind.PARALLEL.id() + suffix, parallel.stream().mapToDouble(r -> threads(r)).toArray(),
                            parallel.stream().mapToDouble(BenchResult::examplesPerSecond).toArray());
                }
                for (EngineKind single : List.of(EngineKind.SIMD, EngineKind.REFERENCE)) {
                    List<BenchResult> one = engine(r -> matches(r, network, batch, model, single));
                    if (!one.isEmpty()) {
                        XYSeries s = chart.addSeries(single.id() + suffix, new double[] {1}, new double[] {one.get(0).examplesPerSecond()});
                        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                        s.setMarker(single == EngineKind.SIMD ? SeriesMarkers.DIAMOND : SeriesMarkers.SQUARE);
                    }
                }
            }
        }
        return chart;
    }

    /** "network, batch B, model" of every parallel series with a 1-thread result. */
    private List<String> parallelSeries() {
        Set<String> keys = new LinkedHashSet<>();
        for (BenchResult r : engine(r -> kind(r) == EngineKind.PARALLEL && threads(r) == 1)) {
            keys.add(seriesKey(r));
        }
        return new ArrayList<>(keys);
    }

    private static String seriesKey(BenchResult r) {
        return r.param("network", "") + ", batch " + String.format(Locale.ROOT, "%,d", batch(r))
                + (r.param("model", "").equals("sigmoid-sse") ? "" : ", " + r.param("model", ""));
    }

    private XYChart speedupChart(List<String> series, boolean efficiency) {
        XYChart chart = xy(efficiency ? "parallel efficiency (speedup ÷ threads)" : "speedup over 1 thread", "threads",
                efficiency ? "efficiency" : "speedup");
        int max = 1;
        for (String key : series) {
            List<BenchResult> points = sortedByThreads(engine(r -> kind(r) == EngineKind.PARALLEL && seriesKey(r).equals(key)));
            BenchResult one = points.get(0);
            double[] x = points.stream().mapToDouble(r -> threads(r)).toArray();
            double[] y = points.stream().mapToDouble(r -> r.score() / one.score() / (efficiency ? threads(r) : 1)).toArray();
            line(chart, key, x, y);
            max = Math.max(max, (int) x[x.length - 1]);
        }
        double[] t = new double[max];
        double[] linear = new double[max];
        double[] machine = new double[max];
        for (int i = 0; i < max; i++) {
            t[i] = i + 1;
            linear[i] = efficiency ? 1 : i + 1;
            machine[i] = efficiency ? Math.min(i + 1, cores) / (double) (i + 1) : Math.min(i + 1, cores);
        }
        if (!efficiency) {
            dashed(chart, "ideal (t)", t, linear);
        }
        dashed(chart, "ideal on " + cores + " cores", t, machine);
        return chart;
    }

    private List<List<String>> efficiencyRows(List<String> series) {
        List<List<String>> rows = new ArrayList<>();
        for (String key : series) {
            List<BenchResult> points = sortedByThreads(engine(r -> kind(r) == EngineKind.PARALLEL && seriesKey(r).equals(key)));
            List<String> row = new ArrayList<>(List.of(key));
            for (int t = 1; t <= 4; t++) {
                int threads = t;
                row.add(points.stream().filter(r -> threads(r) == threads).findFirst()
                        .map(r -> String.format(Locale.ROOT, "%.2f× (%s)", r.score() / points.get(0).score(),
                                percent(r.score() / points.get(0).score() / threads)))
                        .orElse(""));
            }
            rows.add(row);
        }
        return rows;
    }

    private CategoryChart gflopsChart(List<String> categories) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(480).title("model GFLOP/s against the FMA peak")
                .xAxisTitle("network and batch").yAxisTitle("GFLOP/s").build();
        style(chart);
        bars(chart, categories, EngineKind.SIMD, 1);
        bars(chart, categories, EngineKind.PARALLEL, 1);
        bars(chart, categories, EngineKind.PARALLEL, cores);
        chart.addSeries("FMA peak, 1 core", categories, categories.stream().map(c -> (Number) (peak1 / 1e9)).toList());
        chart.addSeries("FMA peak, " + cores + " cores", categories, categories.stream().map(c -> (Number) (peakAll / 1e9)).toList());
        return chart;
    }

    private void bars(CategoryChart chart, List<String> categories, EngineKind kind, int threads) {
        String name = kind.id() + ", " + threads + (threads == 1 ? " thread" : " threads");
        List<Number> values = new ArrayList<>();
        for (String category : categories) {
            String[] parts = category.split(", ");
            int batch = parts.length == 2 ? Integer.parseInt(parts[1].replace(",", "")) : -1;
            values.add(engine(r -> matches(r, parts[0], batch, "sigmoid-sse", kind) && threads(r) == threads).stream()
                    .mapToDouble(r -> r.flopsPerSecond() / 1e9).findFirst().orElse(0));
        }
        chart.addSeries(name, categories, values);
    }

    private CategoryChart allocationChart(List<BenchResult> headline) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(420).title("bytes allocated per gradient call, "
                + Suite.HEADLINE).xAxisTitle("engine and threads").yAxisTitle("B/op").build();
        style(chart);
        List<String> categories = distinct(headline, r -> r.param("engine", "") + " " + threads(r) + "t");
        for (int batch : batches(Suite.HEADLINE, "sigmoid-sse")) {
            List<Number> values = new ArrayList<>();
            for (String category : categories) {
                values.add(headline.stream().filter(r -> batch(r) == batch
                        && (r.param("engine", "") + " " + threads(r) + "t").equals(category))
                        .mapToDouble(r -> Double.isNaN(r.bytesPerOp()) ? 0 : r.bytesPerOp()).findFirst().orElse(0));
            }
            chart.addSeries("batch " + String.format(Locale.ROOT, "%,d", batch), categories, values);
        }
        return chart;
    }

    // ---- tables of everything

    private void kernels(Page page) {
        List<List<String>> rows = new ArrayList<>();
        for (BenchResult r : results) {
            if (r.benchmark().equals(FMA)) {
                rows.add(List.of("FMA peak, " + r.threads() + (r.threads() == 1 ? " core" : " cores"),
                        r.params().containsKey("accumulators") ? r.param("accumulators", "") + " accumulators"
                                : "16 accumulators, acc.fma(m, b)",
                        String.format(Locale.ROOT, "%.1f", r.flopsPerSecond() / 1e9), percent(r.error() / r.score()), ""));
            } else if (r.benchmark().equals(GEMM)) {
                rows.add(List.of("GEMM " + r.param("shape", "?").replace("-", "×"), r.param("a", "") + ", " + r.param("kernels", ""),
                        String.format(Locale.ROOT, "%.1f", r.flopsPerSecond() / 1e9), percent(r.error() / r.score()),
                        Double.isNaN(peak1) ? "" : percent(r.flopsPerSecond() / peak1)));
            }
        }
        if (!rows.isEmpty()) {
            page.heading("Kernels");
            page.paragraph("The FMA peak (register-resident fused multiply-adds on the preferred vector species) and "
                    + "single-threaded GEMMs (m×n×k), the ceiling and the building block of the engines; the percentages "
                    + "are of the ceiling above.");
            page.table(List.of("kernel", "variant", " GFLOP/s", " ±", " % of 1-core ceiling"), rows);
        }
    }

    private void allResults(Page page) {
        List<BenchResult> all = engine(r -> true);
        if (all.isEmpty()) {
            return;
        }
        all.sort(Comparator.comparing((BenchResult r) -> r.param("network", ""), Comparator.comparingInt(Report::layersWeight))
                .thenComparing(r -> r.param("model", "")).thenComparingInt(Report::batch)
                .thenComparingInt(r -> kind(r) == null ? -1 : kind(r).ordinal())
                .thenComparingInt(Report::threads));
        page.heading("Every engine result");
        page.table(ENGINE_HEADER, all.stream().map(this::engineRow).toList());
    }

    private void determinism(Page page) {
        if (hashes.isEmpty()) {
            return;
        }
        page.heading("Determinism");
        page.paragraph("SHA-256 (first 16 hex digits) of D = Δ/m, J and m for each engine configuration on the benchmark's "
                + "own inputs. The parallel engine must give one hash on every thread count; the SIMD engine (float32, "
                + "blocks of " + SimdEngine.DEFAULT_BLOCK + ") and the reference (float64) differ from it by rounding.");
        Map<String, List<Determinism.Hash>> groups = new LinkedHashMap<>();
        for (Determinism.Hash h : hashes) {
            Map<String, String> c = h.config();
            groups.computeIfAbsent(c.get("network") + ", batch " + c.get("batch") + ", " + c.get("model"), k -> new ArrayList<>()).add(h);
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, List<Determinism.Hash>> g : groups.entrySet()) {
            Set<String> parallel = g.getValue().stream().filter(h -> parallel(h))
                    .map(Determinism.Hash::sha256).collect(Collectors.toSet());
            String engines = g.getValue().stream().map(h -> h.config().get("engine")
                    + (parallel(h) ? " " + h.config().get("threads") + "t" : "") + ": " + h.sha256())
                    .collect(Collectors.joining("; "));
            rows.add(List.of(g.getKey(), engines, parallel.size() == 1 ? "yes" : parallel.isEmpty() ? "" : "NO"));
        }
        page.table(List.of("configuration", "hash per engine", "parallel identical on every thread count"), rows);
    }

    // ---- helpers

    private List<BenchResult> engine(Predicate<BenchResult> filter) {
        return results.stream().filter(r -> r.benchmark().equals(ENGINE)).filter(filter)
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private BenchResult find(BenchResult like, EngineKind kind, int threads) {
        return engine(r -> matches(r, like.param("network", ""), batch(like), like.param("model", ""), kind)
                && threads(r) == threads).stream().findFirst().orElse(null);
    }

    private static boolean matches(BenchResult r, String network, int batch, String model, EngineKind kind) {
        return r.param("network", "").equals(network) && batch(r) == batch && r.param("model", "").equals(model)
                && kind(r) == kind;
    }

    /** The engine of a result, null for a name this build does not know (a report of another version). */
    private static EngineKind kind(BenchResult r) {
        return kind(r.param("engine", ""));
    }

    private static boolean parallel(Determinism.Hash h) {
        return kind(h.config().get("engine")) == EngineKind.PARALLEL;
    }

    private static EngineKind kind(String id) {
        return EngineKind.ids().contains(id) ? EngineKind.of(id) : null;
    }

    private List<Integer> batches(String network, String model) {
        return engine(r -> r.param("network", "").equals(network) && r.param("model", "").equals(model)).stream()
                .map(Report::batch).distinct().sorted().toList();
    }

    private String hashOf(BenchResult r) {
        return hashes.stream().filter(h -> h.config().equals(r.params())).map(Determinism.Hash::sha256)
                .findFirst().orElse("");
    }

    private static int batch(BenchResult r) {
        return Integer.parseInt(r.param("batch", "0"));
    }

    private static int threads(BenchResult r) {
        return Integer.parseInt(r.param("threads", "1"));
    }

    private static int layersWeight(String network) {
        return network.isEmpty() ? 0 : java.util.Arrays.stream(network.split("-")).mapToInt(Integer::parseInt).sum();
    }

    private static List<BenchResult> sortedByThreads(List<BenchResult> list) {
        list.sort(Comparator.comparingInt(Report::threads));
        return list;
    }

    private static <T> List<String> distinct(List<T> items, java.util.function.Function<T, String> key) {
        return items.stream().map(key).filter(Objects::nonNull).distinct().toList();
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f×", r);
    }

    private static String bytes(double b) {
        return Double.isNaN(b) ? "" : String.format(Locale.ROOT, "%,.0f", b);
    }

    private static XYChart xy(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(900).height(480).title(title).xAxisTitle(x).yAxisTitle(y).build();
        style(chart);
        chart.getStyler().setXAxisDecimalPattern("0");
        return chart;
    }

    private static void style(Chart<?, ?> chart) {
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    }

    private static void line(XYChart chart, String name, double[] x, double[] y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
    }

    private static void dashed(XYChart chart, String name, double[] x, double[] y) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(SeriesLines.DASH_DASH);
        s.setLineColor(java.awt.Color.GRAY);
    }

    private static byte[] png(Chart<?, ?> chart) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
