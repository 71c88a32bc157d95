package dev.backprop.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backprop.core.data.FileFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One configuration's result from JMH's JSON: the benchmark, its parameters, the score with its error,
 * and the secondary results this project reads (model FLOPs, bytes allocated per operation).
 *
 * @param benchmark the simple class name and method, say {@code EngineBenchmark.gradient}
 * @param params the {@code @Param} values, sorted by name
 * @param threads JMH's worker threads (1 except for the all-core FMA peak)
 * @param forks the forks the score is the mean of
 * @param score the primary score, in operations per second whatever unit JMH reported
 * @param error the half-width of its 99.9% confidence interval, in the same unit; NaN when JMH had too few samples
 * @param flopsPerSecond the {@code flops} secondary result per second, NaN if absent
 * @param bytesPerOp {@code gc.alloc.rate.norm}, NaN when the run had no GC profiler
 * @param jdk the forked JVM's version and name
 */
public record BenchResult(String benchmark, Map<String, String> params, int threads, int forks, double score, double error,
        double flopsPerSecond, double bytesPerOp, String jdk) {

    /** The configuration's identity across runs: benchmark, JMH threads and parameters. */
    public String key() {
        return describe(benchmark, threads, params);
    }

    /** "name jmh-threads=2 k=v ...", the JMH thread count only when it is not 1: how configurations are named. */
    static String describe(String name, int threads, Map<String, String> params) {
        StringBuilder s = new StringBuilder(name);
        if (threads != 1) {
            s.append(" jmh-threads=").append(threads);
        }
        params.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
        return s.toString();
    }

    /** A parameter, or {@code fallback} when the benchmark does not have it. */
    public String param(String name, String fallback) {
        return params.getOrDefault(name, fallback);
    }

    /** Examples per second of an {@code EngineBenchmark} result (batches per second × batch). */
    public double examplesPerSecond() {
        return score * Integer.parseInt(param("batch", "1"));
    }

    /** Reads every result of a JMH JSON file ({@code -rf json}). */
    public static List<BenchResult> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "JMH result file not found");
        }
        JsonNode root = Tools.readJson(file);
        if (root == null || !root.isArray()) {
            throw new FileFormatException(file, "", "is not JMH's JSON: it should be an array of results");
        }
        List<BenchResult> results = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            results.add(parse(file, i, root.get(i)));
        }
        return results;
    }

    private static BenchResult parse(Path file, int index, JsonNode r) throws FileFormatException {
        String where = "result " + index;
        JsonNode primary = r.path("primaryMetric");
        if (!r.path("benchmark").isTextual() || !primary.path("score").isNumber() || !primary.path("scoreUnit").isTextual()) {
            throw new FileFormatException(file, where, "lacks benchmark, primaryMetric.score or primaryMetric.scoreUnit");
        }
        String name = r.get("benchmark").asText();
        String[] parts = name.split("\\.");
        String simple = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : name;
        Map<String, String> params = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("params").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            params.put(e.getKey(), e.getValue().asText());
        }
        String unit = primary.get("scoreUnit").asText();
        double perSecond = perSecond(file, where, unit);
        double error = primary.path("scoreError").isNumber() ? primary.get("scoreError").asDouble() : Double.NaN;
        JsonNode secondary = r.path("secondaryMetrics");
        double flops = Double.NaN;
        if (secondary.path("flops").path("score").isNumber()) {
            flops = secondary.get("flops").get("score").asDouble()
                    * perSecond(file, where, secondary.get("flops").path("scoreUnit").asText(unit));
        }
        double bytes = secondary.path("gc.alloc.rate.norm").path("score").isNumber()
                ? secondary.get("gc.alloc.rate.norm").get("score").asDouble() : Double.NaN;
        String jdk = r.path("jdkVersion").asText("?") + " " + r.path("vmName").asText("");
        return new BenchResult(simple, params, r.path("threads").asInt(1), r.path("forks").asInt(1),
                primary.get("score").asDouble() * perSecond, Double.isNaN(error) ? error : error * perSecond, flops, bytes,
                jdk.trim());
    }

    /** The factor from JMH's throughput unit to operations per second. */
    private static double perSecond(Path file, String where, String unit) throws FileFormatException {
        return switch (unit) {
            case "ops/s" -> 1.0;
            case "ops/ms" -> 1e3;
            case "ops/us" -> 1e6;
            case "ops/ns" -> 1e9;
            case "ops/min" -> 1.0 / 60;
            default -> throw new FileFormatException(file, where, "has the unit '" + unit
                    + "'; the report reads throughput results (ops per time unit) only");
        };
    }
}
