package dev.backprop.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.simd.SimdEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineKindTest {

    @Test
    void theNamesAreTheLowerCaseConstantsInOrder() {
        assertEquals(List.of("reference", "simd", "parallel"), EngineKind.ids());
        for (EngineKind kind : EngineKind.values()) {
            assertEquals(kind, EngineKind.of(kind.id()));
        }
    }

    @Test
    void eachKindMakesItsEngine() {
        try (GradientEngine reference = EngineKind.REFERENCE.create(1);
                GradientEngine simd = EngineKind.of("simd").create(3);
                GradientEngine parallel = EngineKind.create("parallel", 3)) {
            assertInstanceOf(ReferenceEngine.class, reference);
            assertInstanceOf(SimdEngine.class, simd);
            assertInstanceOf(ParallelEngine.class, parallel);
            assertEquals("parallel", parallel.name());
        }
        assertEquals(List.of(false, false, true), List.of(EngineKind.REFERENCE.threaded(), EngineKind.SIMD.threaded(),
                EngineKind.PARALLEL.threaded()));
    }

    @Test
    void anUnknownNameAndABadThreadCountAreNamed() {
        assertEquals("unknown engine 'gpu'; expected one of reference, simd, parallel",
                assertThrows(IllegalArgumentException.class, () -> EngineKind.of("gpu")).getMessage());
        assertEquals("unknown engine 'SIMD'; expected one of reference, simd, parallel",
                assertThrows(IllegalArgumentException.class, () -> EngineKind.of("SIMD")).getMessage());
        // The thread count is checked first, whatever the engine.
        assertEquals("--threads must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> EngineKind.create("gpu", 0)).getMessage());
        assertEquals("--threads must be at least 1, got -2",
                assertThrows(IllegalArgumentException.class, () -> EngineKind.SIMD.create(-2)).getMessage());
    }
}
