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

    @Test
    void theCeilingIsTheBetterLoopAtTheBenchmarksWidthAndPyTorchStandsBesideNn() throws Exception {
        Path results = Files.copy(BenchResultTest.fixture("run-a.json"), dir.resolve("jmh.json"));
        Files.writeString(dir.resolve(Environment.FILE), "{\"cpu\": \"Test CPU\", \"cores\": \"2\", \"isa (benchmarks)\": "
                + "\"AVX-512: 32 vector registers, 512-bit vectors (16 float lanes), 2 FMA units\"}");
        Files.copy(BenchResultTest.fixture("fma-peak-c-a.json"), dir.resolve(FmaCheck.FILE));
        Files.copy(BenchResultTest.fixture("pytorch-a.json"), dir.resolve(PyTorch.FILE));

        Report.write(dir, results, null);

        String md = Files.readString(dir.resolve("report.md"));
        // Java's 100 GFLOP/s against C's 125 at 512 bits: the ceiling is 125, 240 on both cores; 125 / (2 × 16 × 2)
        assertTrue(md.contains("The benchmarks ran on AVX-512: 32 vector registers of 512 bits (16 float lanes); the FMA loop "
                + "keeps 24 accumulators"), md);
        assertTrue(md.contains("FmaPeakBenchmark: 100.0 GFLOP/s on one core; the C loop of tools/fma-peak.c (AVX-512, 24 "
                + "accumulators): 125.0 GFLOP/s, the Java loop at 80.0% of it. The ceiling every \"% of FMA peak\" here divides "
                + "by is the higher: 125.0 GFLOP/s on one core, 240.0 on 2 cores. At 2 FMA units × 16 lanes × 2 FLOP per cycle "
                + "that is a clock of 1.95 GHz."), md);
        assertTrue(md.contains("| C, AVX2 | 256 | 12 | 62.5 | 124.0 on 2 |"), md);
        // the headline's percentages follow the ceiling: 64.4 / 125
        assertTrue(md.contains("| 784-256-128-10 | 256 | sigmoid-sse | simd | 1 | 64,000 | 0.8% |  | 20.00× | 64.4 | 51.5% "), md);
        assertTrue(md.contains("| GEMM 1024×1024×1024 | rows, vector | 85.9 | 1.3% | 68.7% |"), md);
        // nn ÷ PyTorch, and both against the ceiling of the threads used (PyTorch's FLOPs counted as nn's per example)
        assertTrue(md.contains("OpenBLAS kernel Zen (OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64); "
                + "removed from its environment: OPENBLAS_CORETYPE=Haswell OPENBLAS_L2_SIZE=512"), md);
        assertTrue(md.contains("| 784-256-128-10, batch 256 | 1 | examples/s | simd | 64,000 | 80,000 | 0.80 | 51.5% | 64.4% |"), md);
        assertTrue(md.contains("| 784-256-128-10, batch 256 | 2 | examples/s | parallel | 89,600 | 112,000 | 0.80 | 36.1% | 45.1% |"), md);
        assertTrue(md.contains("| 784-256-128-10, batch 60,000 | 1 | examples/s | parallel | 75,000 | 50,000 | 1.50 | 60.4% | 40.3% |"), md);
        assertTrue(md.contains("| 784-1024-1024-10, batch 256 | 1 | examples/s |  | not run | 9,000 |  |  |  |"), md);
        assertTrue(md.contains("| GEMM 1024×1024×1024 | 1 | GFLOP/s |  | 85.9 | 100.0 | 0.86 | 68.7% | 80.0% |"), md);
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("<th>nn ÷ PyTorch</th>") && html.contains("<td class=\"r\">0.80</td>"), "the page has it too");
    }

    @Test
    void aRunWithoutPyTorchOrTheCLoopSaysSoAndKeepsJavasCeiling() throws Exception {
        Path results = Files.copy(BenchResultTest.fixture("run-a.json"), dir.resolve("jmh.json"));
        Tools.writeAbsent(dir.resolve(PyTorch.FILE), PyTorch.INSTALL, "No module named 'torch' (tried python3)");
        Tools.writeAbsent(dir.resolve(FmaCheck.FILE), null, "fma-peak: gcc not found");

        Report.write(dir, results, null);

        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("## Side by side with PyTorch\n\nPyTorch was not measured: No module named 'torch' (tried "
                + "python3). To see nn ÷ PyTorch for every configuration, install it (Debian: `apt-get install python3-torch`) "
                + "and run `nn bench` again; `--no-pytorch` leaves it out."), md);
        assertTrue(md.contains("The C check did not run: fma-peak: gcc not found."), md);
        assertTrue(md.contains("is the higher: 100.0 GFLOP/s on one core, 200.0 on 2 cores (one core's times the cores; "
                + "not measured)."), md);
        assertTrue(Files.readString(dir.resolve("report.html")).contains("<code>apt-get install python3-torch</code>"));
    }

    private static Determinism.Hash hash(String engine, int threads, String batch, String sha) {
        return new Determinism.Hash(Map.of("engine", engine, "threads", Integer.toString(threads), "network", "784-256-128-10",
                "batch", batch, "model", "sigmoid-sse"), sha);
    }
}
