package dev.backprop.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.GradientSum;
import dev.backprop.core.Network;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeterminismTest {
    @Test
    void theParallelEngineHashesAlikeOnEveryThreadCountAndTheReferenceDoesNot() {
        List<Suite.Config> configs = List.of(
                config("parallel", 1), config("parallel", 2), config("parallel", 3), config("reference", 1));
        List<Determinism.Hash> hashes = Determinism.compute(configs);
        assertEquals(4, hashes.size());
        assertTrue(hashes.get(0).sha256().matches("[0-9a-f]{16}"), hashes.get(0).sha256());
        assertEquals(hashes.get(0).sha256(), hashes.get(1).sha256());
        assertEquals(hashes.get(0).sha256(), hashes.get(2).sha256());
        assertNotEquals(hashes.get(0).sha256(), hashes.get(3).sha256(), "float32 against float64");
        assertEquals(configs.get(1).params(), hashes.get(1).config());
    }

    @Test
    void theHashCoversTheGradientTheCostAndTheCount() {
        Network n = Network.of(1, 1);
        GradientSum a = GradientSum.zeros(n);
        a.addExamples(2, 1.0);
        GradientSum b = a.copy();
        b.deltaSum()[0] = 0x1p-1000; // D = Δ/m must still differ: MIN_VALUE / 2 would round to 0
        GradientSum c = a.copy();
        c.addExamples(0, Math.ulp(1.0));
        assertNotEquals(Determinism.hash(a), Determinism.hash(b));
        assertNotEquals(Determinism.hash(a), Determinism.hash(c));
        assertEquals(Determinism.hash(a), Determinism.hash(a.copy()));
    }

    private static Suite.Config config(String engine, int threads) {
        return new Suite.Config("EngineBenchmark", Map.of("engine", engine, "threads", Integer.toString(threads),
                "network", "20-9-3", "batch", "700", "model", "relu-softmax"), 1);
    }
}
