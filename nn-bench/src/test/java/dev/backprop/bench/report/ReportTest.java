package dev.backprop.bench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of a hand-written run whose figures can be worked out on paper. */
class ReportTest {
    @TempDir
    Path dir;

    @Test
    void theHeadlineTableChartsAndDeterminismComeFromTheResults() throws Exception {
        Path results = Files.copy(BenchResultTest.fixture("run-a.json"), dir.resolve("jmh.json"));
        Files.writeString(dir.resolve(Environment.FILE), "{\"cpu\": \"Test CPU\", \"cores\": \"2\", \"load before\": \"0.10\"}");
        Determinism.write(dir.resolve(Determinism.FILE), List.of(
                hash("parallel", 1, "256", "aaaa000011112222"), hash("parallel", 2, "256", "aaaa000011112222"),
                hash("simd", 1, "256", "bbbb000011112222")));

        Report.write(dir, results, "./nn bench --test");

        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| cpu | Test CPU |"), md);
        assertTrue(md.contains("./nn bench --test"), md);
        // parallel, 2 threads, batch 256: 350 × 256 examples/s, 350/200 of one thread, 90.2 of 2 × 100 GFLOP/s
        assertTrue(md.contains("| 784-256-128-10 | 256 | sigmoid-sse | parallel | 2 | 89,600 | 0.9% | 1.75× | 28.00× | 90.2 "
                + "| 45.1% | 26 | aaaa000011112222 |"), md);
        // simd against the reference: 250 / 12.5
        assertTrue(md.contains("| 784-256-128-10 | 256 | sigmoid-sse | simd | 1 | 64,000 | 0.8% |  | 20.00× | 64.4 | 64.4% "
                + "| 12 | bbbb000011112222 |"), md);
        assertTrue(md.contains("| 784-256-128-10 | 60,000 | sigmoid-sse | parallel | 2 | 150,000 | 0.8% | 2.00× |  | 151.0 "
                + "| 75.5% | 9,000 |  |"), md);
        assertTrue(md.contains("| GEMM 1024×1024×1024 | rows, vector | 85.9 | 1.3% | 85.9% |"), md);
        assertTrue(md.contains("| 784-256-128-10, batch 256 | 1.00× (100.0%) | 1.75× (87.5%) |  |  |"), md);
        assertTrue(md.contains("| 784-256-128-10, batch 256, sigmoid-sse | parallel 1t: aaaa000011112222; parallel 2t: "
                + "aaaa000011112222; simd: bbbb000011112222 | yes |"), md);

        for (String chart : List.of("throughput-784-256-128-10", "speedup", "efficiency", "gflops", "allocation")) {
            byte[] png = Files.readAllBytes(dir.resolve("charts").resolve(chart + ".png"));
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4), chart);
            assertTrue(md.contains("](charts/" + chart + ".png)"), chart);
        }
        String html = Files.readString(dir.resolve("report.html"));
        assertEquals(5, html.split("src=\"data:image/png;base64,", -1).length - 1, "every chart is inside the page");
        assertFalse(html.contains("src=\"http") || html.contains("href=\"http") || html.contains("charts/"),
                "the page needs no other file");
        assertTrue(html.contains("<td class=\"r\">89,600</td>"), "tables are in the page too");
    }

    private static Determinism.Hash hash(String engine, int threads, String batch, String sha) {
        return new Determinism.Hash(Map.of("engine", engine, "threads", Integer.toString(threads), "network", "784-256-128-10",
                "batch", batch, "model", "sigmoid-sse"), sha);
    }
}
