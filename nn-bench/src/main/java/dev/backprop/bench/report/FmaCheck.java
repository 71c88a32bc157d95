package dev.backprop.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.data.FileFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The independent check of the FMA ceiling: {@code tools/fma-peak.c}, built with gcc and run once per
 * {@code nn bench} beside the JMH forks, its JSON kept as {@code fma-peak-c.json}. The report sets its
 * figure at the benchmarks' vector width beside FmaPeakBenchmark's and takes the higher as the ceiling.
 */
public final class FmaCheck {
    /** The C loop's results in a report directory. */
    public static final String FILE = "fma-peak-c.json";
    static final String SCRIPT = "fma-peak";

    private FmaCheck() {
    }

    /**
     * The C loop at one vector width.
     *
     * @param allThreads GFLOP/s × 1e9 of {@code threads} threads at once; NaN when only one ran
     */
    public record Loop(String isa, int bits, int accumulators, double oneThread, int threads, double allThreads) {
    }

    /**
     * What {@code fma-peak-c.json} holds.
     *
     * @param reason why the C loop was not measured; null when it was
     */
    public record Run(String reason, List<Loop> loops) {
        /** The loop of {@code bits}, or null. */
        public Loop at(int bits) {
            return loops.stream().filter(l -> l.bits() == bits).findFirst().orElse(null);
        }
    }

    /** Reads {@code fma-peak-c.json}; a missing file is a run that says so. */
    public static Run read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new Run("no " + file.getFileName() + " beside the results", List.of());
        }
        JsonNode root = Tools.readJson(file);
        if (root == null || !root.isObject()) {
            throw new FileFormatException(file, "", "is not tools/fma-peak's JSON: it should be an object");
        }
        if (root.path("available").isBoolean() && !root.get("available").asBoolean()) {
            return new Run(root.path("reason").asText("no reason given"), List.of());
        }
        List<Loop> loops = new ArrayList<>();
        for (String isa : List.of("avx2", "avx512")) {
            JsonNode l = root.path(isa);
            if (l.isMissingNode()) {
                continue;
            }
            if (!l.path("bits").isInt() || !l.path("gflops_1_thread").isNumber()) {
                throw new FileFormatException(file, isa, "lacks bits or gflops_1_thread");
            }
            loops.add(new Loop(isa.equals("avx2") ? "AVX2" : "AVX-512", l.get("bits").asInt(), l.path("accumulators").asInt(),
                    l.get("gflops_1_thread").asDouble() * 1e9, l.path("threads").asInt(1),
                    l.path("gflops_all_threads").isNumber() ? l.get("gflops_all_threads").asDouble() * 1e9 : Double.NaN));
        }
        return new Run(loops.isEmpty() ? "the C loop found neither AVX2 nor AVX-512 on this CPU" : null, loops);
    }

    /** Builds and runs the C loop on 1 and {@code cores} threads into {@code file}; when it cannot, the file says why. */
    static void run(boolean quick, int cores, Path file, PrintWriter out) throws IOException {
        Path tools = Tools.find(SCRIPT);
        if (tools == null) {
            Tools.writeAbsent(file, null, "tools/" + SCRIPT + " was not found (nn bench runs it from a checkout of nn)");
            return;
        }
        List<String> command = new ArrayList<>(List.of(tools.resolve(SCRIPT).toString(), "--threads", Integer.toString(cores)));
        if (quick) {
            command.addAll(List.of("--seconds", "0.05", "--repeats", "2"));
        }
        out.println("fma peak in C: tools/" + SCRIPT + " " + String.join(" ", command.subList(1, command.size())));
        out.flush();
        Path part = Files.createTempFile(file.toAbsolutePath().getParent(), ".fma-peak-", ".json");
        try {
            Tools.Outcome o = Tools.run(command, part, out);
            if (o.exitCode() != 0) {
                Tools.writeAbsent(file, null, o.lastLine());
            } else {
                byte[] bytes = Files.readAllBytes(part);
                AtomicFiles.write(file, w -> w.write(bytes));
            }
        } catch (IOException e) {
            Tools.writeAbsent(file, null, "tools/" + SCRIPT + " could not be started (" + e.getMessage() + ")");
        } finally {
            Files.deleteIfExists(part);
        }
    }
}
