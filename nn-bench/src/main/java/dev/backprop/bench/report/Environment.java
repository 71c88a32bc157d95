package dev.backprop.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.backprop.bench.Isa;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.simd.VectorSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Where and how a benchmark run happened, recorded beside its results so that a reader can judge the
 * figures: the CPU, the cores, the JDK, the vector width, the JVM flags, the commit, the date, and the load
 * on the machine before (and after) the run. Kept as ordered text pairs in {@code environment.json}.
 */
public final class Environment {
    static final String FILE = "environment.json";
    /** The entry naming the ISA the forks compile to, as {@link Isa#describe()} writes it. */
    static final String ISA = "isa (benchmarks)";

    private final Map<String, String> entries;

    private Environment(Map<String, String> entries) {
        this.entries = entries;
    }

    /** The entries, in the order the report shows them. */
    public Map<String, String> entries() {
        return entries;
    }

    /**
     * This machine and this JVM, for a run that forks {@code jvm} (null: this JVM's java) with
     * {@code jvmArgs}.
     */
    public static Environment capture(String jvm, List<String> jvmArgs, String mode) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("date", ZonedDateTime.now().withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        e.put("mode", mode);
        e.put("cpu", cpuModel());
        e.put("cpu flags", cpuFlags());
        e.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        e.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        e.put("memory", String.format("%.1f GiB", memoryBytes() / (double) (1L << 30)));
        e.put("jdk (report)", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
        e.put("jvm (benchmarks)", jvm == null ? ProcessHandle.current().info().command().orElse("java") : jvm);
        e.put("jvm flags", String.join(" ", jvmArgs));
        e.put(ISA, Isa.forFork(jvmArgs).describe());
        VectorSupport.Selection s = VectorSupport.selection();
        e.put("vector species", s.vectorized() ? s.bits() + "-bit, " + s.floatLanes() + " float lanes" : "scalar (" + s.reason() + ")");
        e.put("commit", commit());
        e.put("load before", loadAverage());
        return new Environment(e);
    }

    /** Records the load after the run, the other half of "what else was running". */
    public void recordLoadAfter() {
        entries.put("load after", loadAverage());
    }

    /** Writes {@code environment.json}. */
    public void write(Path file) throws IOException {
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(entries);
        AtomicFiles.write(file, out -> out.write(json));
    }

    /** Reads an {@code environment.json}; a missing file gives an environment that says so. */
    @SuppressWarnings("unchecked")
    public static Environment read(Path file) throws IOException {
        Map<String, String> e = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            e.put("environment", "not recorded (no " + file.getFileName() + " beside the results)");
            return new Environment(e);
        }
        Map<String, Object> raw = new ObjectMapper().readValue(file.toFile(), LinkedHashMap.class);
        raw.forEach((k, v) -> e.put(k, String.valueOf(v)));
        return new Environment(e);
    }

    /** The 1, 5 and 15 minute load averages, and how many cores they are out of. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2] + " (1, 5, 15 min; " + Runtime.getRuntime().availableProcessors()
                    + " cores)";
        } catch (IOException | RuntimeException e) {
            return "unknown (no /proc/loadavg)";
        }
    }

    private static String cpuModel() {
        String model = Isa.Cpu.read(Path.of("/proc/cpuinfo")).name();
        return model != null ? model : System.getProperty("os.arch");
    }

    /** The vector and FMA extensions the kernels can use, as the kernel reports them. */
    private static String cpuFlags() {
        Set<String> flags = Isa.Cpu.read(Path.of("/proc/cpuinfo")).flags();
        if (flags.isEmpty()) {
            return "unknown";
        }
        return flags.stream().filter(f -> f.equals("fma") || f.startsWith("avx") || f.equals("asimd") || f.startsWith("sve"))
                .collect(Collectors.joining(" "));
    }

    private static long memoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through
        }
        return Runtime.getRuntime().maxMemory();
    }

    /** The git commit of the working directory, marked when it has uncommitted changes. */
    private static String commit() {
        String head = git("rev-parse", "HEAD");
        if (head == null) {
            String version = Environment.class.getPackage().getImplementationVersion();
            return "unknown (not run from a git checkout" + (version == null ? ")" : "; nn " + version + ")");
        }
        String status = git("status", "--porcelain", "--untracked-files=no");
        return head + (status == null || status.isEmpty() ? "" : " with uncommitted changes");
    }

    private static String git(String... args) {
        try {
            String[] command = new String[args.length + 1];
            command[0] = "git";
            System.arraycopy(args, 0, command, 1, args.length);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
