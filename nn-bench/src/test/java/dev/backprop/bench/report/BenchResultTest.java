package dev.backprop.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.core.data.FileFormatException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchResultTest {
    @TempDir
    Path dir;

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(BenchResultTest.class.getResource(name).toURI());
    }

    @Test
    void readsScoresUnitsAndSecondaryResultsFromJmhJson() throws Exception {
        List<BenchResult> results = BenchResult.read(fixture("run-a.json"));
        assertEquals(8, results.size());
        BenchResult fma = results.get(0);
        assertEquals("FmaPeakBenchmark.fmaPeak", fma.benchmark());
        assertEquals(100e9, fma.flopsPerSecond(), 1e-3, "ops/ns are read as 1e9 ops/s");
        assertEquals(350_000, fma.score(), 1e-6);
        assertEquals(Double.NaN, fma.bytesPerOp());
        BenchResult simd = results.get(3);
        assertEquals(Map.of("batch", "256", "engine", "simd", "model", "sigmoid-sse", "network", "784-256-128-10",
                "threads", "1"), simd.params());
        assertEquals(250.0 * 256, simd.examplesPerSecond());
        assertEquals(2.0, simd.error());
        assertEquals(12, simd.bytesPerOp());
        assertEquals("EngineBenchmark.gradient batch=256 engine=simd model=sigmoid-sse network=784-256-128-10 threads=1",
                simd.key());
        assertEquals("17.0.15 OpenJDK 64-Bit Server VM", simd.jdk());
    }

    @Test
    void whatIsNotJmhJsonIsRefusedWithTheFileAndThePlace() throws IOException {
        Path text = Files.writeString(dir.resolve("a.json"), "hello");
        FileFormatException e = assertThrows(FileFormatException.class, () -> BenchResult.read(text));
        assertEquals(text + ": is not JSON: Unrecognized token 'hello': was expecting (JSON String, Number, Array, Object "
                + "or token 'null', 'true' or 'false')", e.getMessage());

        Path object = Files.writeString(dir.resolve("b.json"), "{\"benchmark\": 1}");
        e = assertThrows(FileFormatException.class, () -> BenchResult.read(object));
        assertEquals(object + ": is not JMH's JSON: it should be an array of results", e.getMessage());

        Path partial = Files.writeString(dir.resolve("c.json"), "[{\"benchmark\": \"x.Y.z\"}]");
        e = assertThrows(FileFormatException.class, () -> BenchResult.read(partial));
        assertEquals(partial + ": result 0: lacks benchmark, primaryMetric.score or primaryMetric.scoreUnit", e.getMessage());

        Path average = Files.writeString(dir.resolve("d.json"),
                "[{\"benchmark\": \"x.Y.z\", \"primaryMetric\": {\"score\": 3, \"scoreUnit\": \"s/op\"}}]");
        e = assertThrows(FileFormatException.class, () -> BenchResult.read(average));
        assertEquals(average + ": result 0: has the unit 's/op'; the report reads throughput results (ops per time unit) only",
                e.getMessage());

        Path missing = dir.resolve("none.json");
        IOException notFound = assertThrows(IOException.class, () -> BenchResult.read(missing));
        assertEquals(missing + ": JMH result file not found", notFound.getMessage());
    }
}
