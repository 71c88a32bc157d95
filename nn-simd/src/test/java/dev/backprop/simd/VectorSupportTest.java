package dev.backprop.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorSupportTest {
    private static final int CPU_BITS = FloatVector.SPECIES_PREFERRED.vectorBitSize();

    @Test
    void withTheModuleTheCpusPreferredWidthIsChosen() {
        VectorSupport.Selection s = VectorSupport.decide(null, true);
        assertEquals(CPU_BITS >= 128, s.vectorized());
        if (s.vectorized()) {
            assertEquals(CPU_BITS, s.bits());
            assertEquals(CPU_BITS / 32, s.floatLanes());
        }
    }

    @Test
    void withoutTheModuleTheScalarPathIsChosenAndTheLineSaysHowToEnableIt() {
        VectorSupport.Selection s = VectorSupport.decide(null, false);
        assertFalse(s.vectorized());
        assertEquals(1, s.floatLanes());
        assertEquals("nn-simd: scalar kernels; the jdk.incubator.vector module is not in this JVM; pass --add-modules"
                + " jdk.incubator.vector to the java command to enable the fast path", s.describe());
    }

    @Test
    void aForcedWidthIsHonouredAndCheckedAgainstTheCpu() {
        assertEquals(128, VectorSupport.decide("128", true).bits());
        assertFalse(VectorSupport.decide("scalar", true).vectorized());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorSupport.decide("64", true));
        assertEquals("-Dnn.simd.width=64 is not a width; use 128, 256, 512 or scalar", e.getMessage());
        if (CPU_BITS < 512) {
            e = assertThrows(IllegalArgumentException.class, () -> VectorSupport.decide("512", true));
            assertTrue(e.getMessage().contains("is wider than this CPU's"), e.getMessage());
        }
    }

    @Test
    void theRegisterFileSizesTheTile() {
        // 32 registers with AVX-512 (whatever width is forced) or on AArch64, 16 with AVX2 alone
        int expected = CPU_BITS >= 512 ? 32 : 16;
        assertEquals(expected, VectorSupport.decide(null, true, "amd64").registers());
        assertEquals(expected, VectorSupport.decide("128", true, "amd64").registers());
        assertEquals(32, VectorSupport.decide(null, true, "aarch64").registers());
        assertEquals(0, VectorSupport.decide("scalar", true, "amd64").registers());
        assertTrue(VectorSupport.decide(null, true, "amd64").describe().contains(expected + " vector registers"),
                VectorSupport.decide(null, true, "amd64").describe());
    }

    @Test
    void theTestJvmHasTheModule() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "Surefire's argLine must add jdk.incubator.vector");
    }
}
