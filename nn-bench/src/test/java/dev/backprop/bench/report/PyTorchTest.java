package dev.backprop.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.bench.Isa;
import dev.backprop.core.data.FileFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PyTorch's JSON read, paired with nn's results of the same run, and divided; and the run without PyTorch. */
class PyTorchTest {
    @TempDir
    Path dir;

    @Test
    void theJsonOfTorchBenchIsReadWithItsKernelAndTheEnvironmentItRemoved() throws Exception {
        PyTorch.Run run = PyTorch.read(BenchResultTest.fixture("pytorch-a.json"));
        assertTrue(run.available());
        assertEquals("1.13.0a0", run.version());
        assertEquals("OpenBLAS kernel Zen (OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64); removed "
                + "from its environment: OPENBLAS_CORETYPE=Haswell OPENBLAS_L2_SIZE=512", run.blas());
        assertEquals(List.of(new PyTorch.Gradient("784-256-128-10", "sigmoid-sse", 256, 1, 80000),
                new PyTorch.Gradient("784-256-128-10", "sigmoid-sse", 256, 2, 112000),
                new PyTorch.Gradient("784-256-128-10", "sigmoid-sse", 60000, 1, 50000),
                new PyTorch.Gradient("784-1024-1024-10", "sigmoid-sse", 256, 1, 9000)), run.gradients());
        assertEquals(List.of(new PyTorch.Gemm("1024-1024-1024", 100e9)), run.gemms());
    }

    @Test
    void eachConfigurationIsDividedByNnsFigureOfTheSameEngineAndThreads() throws Exception {
        List<PyTorch.Row> rows = PyTorch.pair(PyTorch.read(BenchResultTest.fixture("pytorch-a.json")),
                BenchResult.read(BenchResultTest.fixture("run-a.json")));
        assertEquals(5, rows.size());
        // one thread: the SIMD engine's 250 gradients/s × 256 against 80,000
        PyTorch.Row simd = rows.get(0);
        assertEquals("784-256-128-10, batch 256", simd.configuration());
        assertEquals("simd", simd.nnEngine());
        assertEquals(0.8, simd.ratio(), 1e-12);
        // PyTorch's model FLOP/s are nn's FLOP per example times PyTorch's examples/s: 80,000 × 64.4e9 / 64,000
        assertEquals(80.5e9, simd.pytorchFlops(), 1e-3);
        assertEquals("parallel", rows.get(1).nnEngine());
        assertEquals(89600.0 / 112000, rows.get(1).ratio(), 1e-12);
        // the full batch on one thread has no SIMD result in the run: the parallel engine's 1.25 × 60,000
        assertEquals("parallel", rows.get(2).nnEngine());
        assertEquals(1.5, rows.get(2).ratio(), 1e-12);
        assertTrue(Double.isNaN(rows.get(3).nn()), "784-1024-1024-10 was not run by nn");
        PyTorch.Row gemm = rows.get(4);
        assertEquals("GEMM 1024×1024×1024", gemm.configuration());
        assertTrue(gemm.gemm());
        assertEquals(0.859, gemm.ratio(), 1e-12);
    }

    @Test
    void withoutTorchTheRunSaysWhyAndHowToGetIt() throws Exception {
        Path file = dir.resolve(PyTorch.FILE);
        Tools.writeAbsent(file, PyTorch.INSTALL, "No module named 'torch' (tried /usr/bin/python3)");
        PyTorch.Run run = PyTorch.read(file);
        assertFalse(run.available());
        assertEquals("PyTorch was not measured: No module named 'torch' (tried /usr/bin/python3). To see nn ÷ PyTorch for "
                + "every configuration, install it (Debian: `apt-get install python3-torch`) and run `nn bench` again; "
                + "`--no-pytorch` leaves it out.", run.absentMessage());
        assertEquals(List.of(), PyTorch.pair(run, BenchResult.read(BenchResultTest.fixture("run-a.json"))));
        assertEquals("no pytorch.json beside the results", PyTorch.read(dir.resolve("elsewhere").resolve(PyTorch.FILE)).reason());
    }

    @Test
    void aBrokenFileIsNamedWithThePlace() throws Exception {
        Path file = dir.resolve(PyTorch.FILE);
        Files.writeString(file, "{\"available\": true, \"gradients\": [{\"network\": \"784-256-128-10\", \"batch\": 256}]}");
        FileFormatException e = assertThrows(FileFormatException.class, () -> PyTorch.read(file));
        assertTrue(e.getMessage().contains("gradients[0]") && e.getMessage().contains("lacks the number \"threads\""),
                e.getMessage());
        Files.writeString(file, "[]");
        e = assertThrows(FileFormatException.class, () -> PyTorch.read(file));
        assertTrue(e.getMessage().contains("is not tools/torch-bench.py's JSON: it lacks \"available\""), e.getMessage());
    }

    @Test
    void theScriptGetsTheLargeNetworksSigmoidGradientsAndTheGemmsOfTheSuite() {
        List<Suite.Config> quick = Suite.configs(Suite.Mode.QUICK, 2, new Isa("AVX2", 16, 256, 2));
        assertEquals(List.of("--gradient", "784-256-128-10:256:1", "--gradient", "784-256-128-10:256:2",
                "--gradient", "784-256-128-10:60000:1", "--gradient", "784-256-128-10:60000:2", "--gemm", "256-785-256",
                "--quick"), PyTorch.arguments(quick, 2, true));
        List<String> full = PyTorch.arguments(Suite.configs(Suite.Mode.FULL, 2, new Isa("AVX2", 16, 256, 2)), 2, false);
        assertEquals(List.of("784-256-128-10:256:1", "784-256-128-10:256:2", "784-256-128-10:60000:1", "784-256-128-10:60000:2",
                "784-1024-1024-10:256:1", "784-1024-1024-10:256:2", "784-1024-1024-10:60000:1", "784-1024-1024-10:60000:2",
                "1024-1024-1024", "256-256-785", "256-785-256"), full.stream().filter(a -> !a.startsWith("--")).toList(),
                "threads beyond the cores, other batches and the ReLU recipe are nn's alone");
    }

    @Test
    void theCLoopsJsonIsReadPerWidth() throws Exception {
        FmaCheck.Run run = FmaCheck.read(BenchResultTest.fixture("fma-peak-c-a.json"));
        assertEquals(null, run.reason());
        assertEquals(new FmaCheck.Loop("AVX2", 256, 12, 62.5e9, 2, 124e9), run.at(256));
        assertEquals(new FmaCheck.Loop("AVX-512", 512, 24, 125e9, 2, 240e9), run.at(512));
        assertEquals(null, run.at(128));
        Path file = dir.resolve(FmaCheck.FILE);
        Tools.writeAbsent(file, null, "fma-peak: gcc not found; the C check needs a C compiler (Debian: apt-get install gcc)");
        assertEquals("fma-peak: gcc not found; the C check needs a C compiler (Debian: apt-get install gcc)",
                FmaCheck.read(file).reason());
    }
}
