package dev.backprop.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SuiteTest {
    @Test
    void theFullSuiteRunsOnlyMeaningfulCombinations() {
        List<Suite.Config> full = Suite.configs(Suite.Mode.FULL, 2);
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
        assertEquals(2, full.stream().filter(c -> c.benchmark().equals("FmaPeakBenchmark")).count(), "1 core and all cores");
        assertEquals(full.size(), full.stream().map(Suite.Config::describe).distinct().count(), "no configuration twice");
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
