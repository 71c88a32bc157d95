package dev.backprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ISA, registers, accumulators and inferred clock from given /proc/cpuinfo text and JVM flags. */
class IsaTest {
    /** The first lines of a 2-core Zen 2 EPYC's /proc/cpuinfo, flags shortened, AVX2 and no AVX-512. */
    static final String ZEN2 = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            cpu family\t: 23
            model\t\t: 49
            model name\t: AMD EPYC 7B12
            flags\t\t: fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 bmi2

            processor\t: 1
            vendor_id\t: GenuineIntel
            flags\t\t: fpu avx512f
            """;

    /** A Zen 5 EPYC with AVX-512, flags shortened (the duplicate is as harmless as in a real file). */
    static final String ZEN5 = """
            vendor_id\t: AuthenticAMD
            cpu family\t: 26
            model\t\t: 2
            flags\t\t: fpu sse2 fma avx avx2 avx512f avx512dq avx512bw avx512vl avx2
            """;

    @Test
    void aZen2WithAvx2Has16RegistersAnd12AccumulatorsAndTheIssuesClock() {
        Isa.Cpu cpu = Isa.Cpu.parse(ZEN2);
        assertEquals(new Isa.Cpu("AuthenticAMD", 23, 49, "AMD EPYC 7B12", Set.of("fpu", "sse", "sse2", "ssse3", "fma", "sse4_1", "sse4_2", "avx",
                "f16c", "avx2", "bmi2")), cpu, "the first processor only");
        Isa isa = Isa.infer("amd64", cpu.flags(), 2, 256, Isa.fmaUnits(cpu.vendor(), cpu.family(), cpu.model(), 256));
        assertEquals(new Isa("AVX2", 16, 256, 2), isa);
        assertEquals(12, isa.accumulators());
        assertEquals(8, isa.lanes());
        // 107.5 GFLOP/s ÷ (2 units × 8 lanes × 2 FLOP) = 3.36 GHz, the C loop's figure on that machine
        assertEquals(3.359375, isa.clockGhz(107.5e9), 1e-12);
    }

    @Test
    void anAvx512CpuHas32ZmmRegistersUnlessUseAvx2ConfinesTheJitTo16Ymm() {
        Isa.Cpu cpu = Isa.Cpu.parse(ZEN5);
        assertEquals(new Isa("AVX-512", 32, 512, 2), Isa.infer("amd64", cpu.flags(), 3, 512, 2));
        assertEquals(24, Isa.infer("amd64", cpu.flags(), 3, 512, 2).accumulators());
        assertEquals(new Isa("AVX2", 16, 256, 2), Isa.infer("amd64", cpu.flags(), 2, 256, 2));
        assertEquals(new Isa("AVX-512", 32, 256, 2), Isa.infer("x86_64", cpu.flags(), 3, 256, 2),
                "a 256-bit species still has the EVEX registers ymm16-31");
        assertEquals("AVX-512", Isa.infer("amd64", cpu.flags(), -1, 512, 2).name(), "UseAVX unknown: the species decides");
        assertEquals("AVX2", Isa.infer("amd64", cpu.flags(), -1, 256, 2).name());
        assertEquals(new Isa("AVX", 16, 256, 2), Isa.infer("amd64", cpu.flags(), 1, 256, 2));
        assertEquals(new Isa("SSE", 16, 128, 2), Isa.infer("amd64", cpu.flags(), 0, 128, 2));
        assertEquals(new Isa("AVX2 without FMA", 16, 256, 2), Isa.infer("amd64", Set.of("avx", "avx2"), 2, 256, 2));
    }

    @Test
    void armHas32RegistersWithNeonOrSve() {
        Isa.Cpu cpu = Isa.Cpu.parse("processor\t: 0\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp sve\n");
        assertEquals(new Isa("SVE", 32, 128, 2), Isa.infer("aarch64", cpu.flags(), -1, 128, 2));
        assertEquals(new Isa("NEON", 32, 128, 2), Isa.infer("aarch64", Set.of("fp", "asimd"), -1, 128, 2));
        assertEquals(new Isa("riscv64", 16, 128, 2), Isa.infer("riscv64", Set.of(), -1, 128, 2));
    }

    @Test
    void fmaUnitsAreHalvedWhereAKnownCoreSplitsTheWidth() {
        assertEquals(1, Isa.fmaUnits("AuthenticAMD", 23, 1, 256), "Zen 1: two 128-bit halves");
        assertEquals(2, Isa.fmaUnits("AuthenticAMD", 23, 49, 256), "Zen 2");
        assertEquals(1, Isa.fmaUnits("AuthenticAMD", 25, 17, 512), "Zen 4 at 512 bits: two 256-bit halves");
        assertEquals(2, Isa.fmaUnits("AuthenticAMD", 25, 17, 256), "Zen 4 at 256 bits");
        assertEquals(2, Isa.fmaUnits("AuthenticAMD", 26, 2, 512), "Zen 5");
        assertEquals(2, Isa.fmaUnits("GenuineIntel", 6, 85, 512));
    }

    @Test
    void theForkFlagsAreReadAndABadOneIsNamed() {
        assertEquals(2, Isa.flag(List.of("--add-modules=jdk.incubator.vector", "-XX:UseAVX=3", "-XX:UseAVX=2"), "UseAVX"));
        assertEquals(-1, Isa.flag(List.of("-XX:MaxVectorSize=32"), "UseAVX"));
        assertEquals(32, Isa.flag(List.of("-XX:MaxVectorSize=32"), "MaxVectorSize"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Isa.flag(List.of("-XX:UseAVX=two"), "UseAVX"));
        assertEquals("the JVM flag '-XX:UseAVX=two' needs a whole number", e.getMessage());
    }

    @Test
    void theDescriptionReadsBackAndAnythingElseIsNull() {
        Isa isa = new Isa("AVX-512", 32, 512, 2);
        assertEquals("AVX-512: 32 vector registers, 512-bit vectors (16 float lanes), 2 FMA units", isa.describe());
        assertEquals(isa, Isa.parse(isa.describe()));
        assertNull(Isa.parse("512-bit, 16 float lanes"));
        assertNull(Isa.parse(null));
    }
}
