package dev.backprop.bench;

import dev.backprop.simd.VectorSupport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The vector instruction set the JIT compiles the benchmarks to, and what bounds the FMA ceiling on it: the
 * vector registers (16 ymm on AVX2, 32 zmm on AVX-512, 32 on NEON and SVE), the vector width, and the FMA
 * pipes of that width per core. The accumulators of the FMA peak are sized from the registers so that
 * they and the two operands never spill.
 *
 * @param name "AVX-512", "AVX2", "AVX", "SSE", "NEON", "SVE" or the architecture when none of these
 * @param vectorRegisters the architectural vector registers the JIT allocates from
 * @param bits the width of the preferred float species
 * @param fmaUnits FMA pipes of that width per core; a table of known cores, 2 otherwise
 */
public record Isa(String name, int vectorRegisters, int bits, int fmaUnits) {
    private static final Pattern DESCRIBED = Pattern.compile(
            "(\\S+): (\\d+) vector registers, (\\d+)-bit vectors \\(\\d+ float lanes\\), (\\d+) FMA units.*");

    /** Float lanes per vector. */
    public int lanes() {
        return bits / 32;
    }

    /**
     * Independent accumulators that fit beside the two operands: 12 of 16 registers, 24 of 32. Either count
     * covers an FMA latency of 4 cycles on 2 pipes (8 in flight) with room to spare.
     */
    public int accumulators() {
        return vectorRegisters * 3 / 4;
    }

    /** The clock in GHz at which {@code flopsPerSecond} is every FMA pipe busy on every cycle: FLOP/s ÷ (units × lanes × 2). */
    public double clockGhz(double flopsPerSecond) {
        return flopsPerSecond / ((double) fmaUnits * lanes() * 2) / 1e9;
    }

    /** "AVX-512: 32 vector registers, 512-bit vectors (16 float lanes), 2 FMA units", which {@link #parse} reads back. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %d vector registers, %d-bit vectors (%d float lanes), %d FMA units", name,
                vectorRegisters, bits, lanes(), fmaUnits);
    }

    /** Reads {@link #describe()}; null for anything else (an environment recorded before the ISA was). */
    public static Isa parse(String text) {
        Matcher m = text == null ? null : DESCRIBED.matcher(text);
        if (m == null || !m.matches()) {
            return null;
        }
        return new Isa(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
    }

    /**
     * The ISA of a JIT on {@code arch} with the CPU {@code flags} of /proc/cpuinfo ("flags" on x86,
     * "Features" on ARM), HotSpot's {@code UseAVX} level (-1 when unknown) and a preferred species of
     * {@code speciesBits}. On an AVX-512 CPU, {@code -XX:UseAVX=2} confines the JIT to AVX2 and its 16 ymm
     * registers; with {@code UseAVX=3} it has all 32 even at a 256-bit species (EVEX encodes ymm16–31).
     */
    public static Isa infer(String arch, Set<String> flags, int useAvx, int speciesBits, int fmaUnits) {
        String a = arch.toLowerCase(Locale.ROOT);
        if (a.equals("amd64") || a.equals("x86_64")) {
            boolean avx512 = flags.contains("avx512f") && (useAvx < 0 ? speciesBits >= 512 : useAvx >= 3);
            if (avx512) {
                return new Isa("AVX-512", 32, speciesBits, fmaUnits);
            }
            if (flags.contains("avx2") && useAvx != 0 && useAvx != 1) {
                return new Isa(flags.contains("fma") ? "AVX2" : "AVX2 without FMA", 16, speciesBits, fmaUnits);
            }
            return new Isa(flags.contains("avx") && useAvx != 0 ? "AVX" : "SSE", 16, speciesBits, fmaUnits);
        }
        if (a.equals("aarch64") || a.equals("arm64")) {
            return new Isa(flags.contains("sve") ? "SVE" : "NEON", 32, speciesBits, fmaUnits);
        }
        return new Isa(a, 16, speciesBits, fmaUnits);
    }

    /**
     * FMA pipes of {@code bits} per core: 1 where a known core splits or lacks the width (AMD Zen and Zen+ run a
     * 256-bit FMA as two 128-bit halves; Zen 3 has no AVX-512 and Zen 4 runs a 512-bit one as two 256-bit
     * halves), 2 otherwise (Haswell and later Intel cores, Zen 2 onwards at 256 bits, Zen 5 at 512). Some Xeon
     * Silver and Bronze parts have one 512-bit unit; the clock the report infers then reads half the real one.
     */
    public static int fmaUnits(String vendor, int family, int model, int bits) {
        if ("AuthenticAMD".equals(vendor)) {
            if (family == 0x17 && model < 0x30 && bits >= 256) {
                return 1;
            }
            if (family == 0x19 && bits >= 512) {
                return 1;
            }
        }
        return 2;
    }

    /** The ISA of this JVM. */
    public static Isa current() {
        return forFork(List.of());
    }

    /**
     * The ISA of a JVM like this one started with the extra flags {@code forkArgs}: its {@code -XX:UseAVX}
     * and {@code -XX:MaxVectorSize} override this JVM's and narrow its species.
     */
    public static Isa forFork(List<String> forkArgs) {
        VectorSupport.Selection s = VectorSupport.selection();
        int bits = s.vectorized() ? s.bits() : 128;
        int useAvx = flag(forkArgs, "UseAVX");
        if (useAvx >= 0) {
            bits = Math.min(bits, useAvx >= 3 ? 512 : useAvx >= 1 ? 256 : 128);
        } else {
            useAvx = hotspotUseAvx();
        }
        int maxVectorSize = flag(forkArgs, "MaxVectorSize");
        if (maxVectorSize > 0) {
            bits = Math.min(bits, maxVectorSize * 8);
        }
        Cpu cpu = Cpu.read(Path.of("/proc/cpuinfo"));
        return infer(System.getProperty("os.arch"), cpu.flags(), useAvx, bits, fmaUnits(cpu.vendor(), cpu.family(), cpu.model(), bits));
    }

    /** The value of {@code -XX:NAME=N} in {@code args} (the last one counts), or -1. */
    static int flag(List<String> args, String name) {
        int value = -1;
        for (String arg : args) {
            if (arg.startsWith("-XX:" + name + "=")) {
                try {
                    value = Integer.parseInt(arg.substring(name.length() + 5));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("the JVM flag '" + arg + "' needs a whole number");
                }
            }
        }
        return value;
    }

    private static int hotspotUseAvx() {
        try {
            return Integer.parseInt(ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("UseAVX").getValue());
        } catch (RuntimeException | LinkageError e) {
            return -1; // not HotSpot, or not x86: the species decides
        }
    }

    /**
     * What /proc/cpuinfo says of the first CPU: vendor, family, model, its name and the feature flags in the
     * order the kernel lists them.
     *
     * @param family and {@code model}: -1 when not given
     * @param name the "model name"; null when not given
     */
    public record Cpu(String vendor, int family, int model, String name, Set<String> flags) {
        /** The first processor's entries of {@code cpuinfo}; an empty CPU when the file cannot be read. */
        public static Cpu read(Path cpuinfo) {
            try {
                return parse(Files.readString(cpuinfo, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                return new Cpu("", -1, -1, null, Set.of());
            }
        }

        /** Parses the text of /proc/cpuinfo. */
        public static Cpu parse(String text) {
            String vendor = "";
            int family = -1;
            int model = -1;
            String name = null;
            Set<String> flags = Set.of();
            for (String line : text.split("\n")) {
                int colon = line.indexOf(':');
                if (line.isBlank() && !flags.isEmpty()) {
                    break; // the first processor is enough
                }
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                switch (key) {
                    case "vendor_id" -> vendor = value;
                    case "cpu family" -> family = number(value);
                    case "model" -> model = number(value);
                    case "model name" -> name = value;
                    case "flags", "Features" -> flags = Arrays.stream(value.split("\\s+")).filter(f -> !f.isEmpty())
                            .collect(Collectors.toCollection(LinkedHashSet::new));
                    default -> { }
                }
            }
            return new Cpu(vendor, family, model, name, flags);
        }

        private static int number(String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
