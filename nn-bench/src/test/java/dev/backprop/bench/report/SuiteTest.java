package dev.backprop.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.bench.Isa;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SuiteTest {
    @Test
    void theFullSuiteRunsOnlyMeaningfulCombinations() {
        List<Suite.Config> full = Suite.configs(Suite.Mode.FULL, 2, new Isa("AVX2", 16, 256, 2));
        for (Suite.Config c : full) {
            if (!c.isEngine()) {
                continue;
            }
            String engine = c.params().get("engine");
            int threads = Integer.parseInt(c.params().get("threads"));
            int batch = Integer.parseInt(c.params().get("batch"));
            assertTrue(engine.equals("parallel") || threads == 1, c.describe());
            assertTrue(batch < Suite.FULL_BATCH || Suite.LARGE.contains(c.params().get("network")), c.describe());
            assertFalse(engine.equals("reference") && batch == Suite.FULL_BATCH, c.describe());
        }
        // every network × batch the suite measures, every engine, threads 1 to 4
        Set<String> combos = full.stream().filter(Suite.Config::isEngine)
                .map(c -> c.params().get("network") + "@" + c.params().get("batch")).collect(Collectors.toSet());
        assertEquals(14, combos.size());
        assertEquals(4, full.stream().filter(c -> c.isEngine() && c.params().get("engine").equals("parallel")
                && c.params().get("network").equals("784-1024-1024-10") && c.params().get("batch").equals("60000")).count());
        assertEquals(List.of("1:12", "2:12"), fma(full), "1 core and all cores, 12 accumulators and two operands on 16 registers");
        assertEquals(List.of("1:24", "1:12", "2:24"), fma(Suite.configs(Suite.Mode.FULL, 2, new Isa("AVX-512", 32, 512, 2))),
                "on 32 registers the 16-register count too, the report taking the best");
        assertEquals(List.of("1:24"), fma(Suite.configs(Suite.Mode.QUICK, 2, new Isa("AVX-512", 32, 512, 2))));
        assertEquals(full.size(), full.stream().map(Suite.Config::describe).distinct().count(), "no configuration twice");
    }

    private static List<String> fma(List<Suite.Config> configs) {
        return configs.stream().filter(c -> c.benchmark().equals("FmaPeakBenchmark"))
                .map(c -> c.threads() + ":" + c.params().get("accumulators")).toList();
    }

    @Test
    void theQuickSuiteTouchesEveryBenchmarkNetworkAndEngineInAFewConfigurations() {
        List<Suite.Config> quick = Suite.configs(Suite.Mode.QUICK, 2);
        assertTrue(quick.size() <= 25, "quick has " + quick.size());
        assertEquals(Set.of("FmaPeakBenchmark", "GemmBenchmark", "EngineBenchmark"),
                quick.stream().map(Suite.Config::benchmark).collect(Collectors.toSet()));
        assertEquals(Set.of("3-3-1", "64-32-1", "784-256-128-10", "784-1024-1024-10"), quick.stream()
                .filter(Suite.Config::isEngine).map(c -> c.params().get("network")).collect(Collectors.toSet()));
        assertEquals(Set.of("reference", "simd", "parallel"), quick.stream().filter(Suite.Config::isEngine)
                .map(c -> c.params().get("engine")).collect(Collectors.toSet()));
    }
}
