package dev.backprop.simd;

import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides once per JVM whether the Vector API path runs, and at what width, and says so in one log line.
 *
 * <p>The decision never touches a {@code jdk.incubator.vector} class unless the module is present: the
 * Vector API statics live in {@link PanamaSpecies}, which is loaded inside a {@code try}, so a JVM started
 * without {@code --add-modules jdk.incubator.vector} falls back to the scalar path instead of failing.
 *
 * <p>The system property {@value #WIDTH_PROPERTY} ({@code 128}, {@code 256}, {@code 512} or {@code scalar})
 * forces a width: a diagnostic switch, not a tuning knob, so that the claim of the same bits at every width
 * can be checked on one machine (the tests compute at every width; CI trains with {@code ./nn} at each and
 * compares the model files). The choice is logged at start-up either way.
 */
public final class VectorSupport {
    /** Forces the vector width in bits, or {@code scalar}: for checking that every width gives the same bits. */
    public static final String WIDTH_PROPERTY = "nn.simd.width";

    private static final Logger LOG = LoggerFactory.getLogger(VectorSupport.class);
    private static final String MODULE = "jdk.incubator.vector";

    private static volatile Selection selection;

    private VectorSupport() {
    }

    /**
     * What was chosen and why. {@code registers} is the size of the vector register file the JIT can use,
     * which sizes the GEMM's register tile: 32 where the CPU's preferred vectors are 512 bits (AVX-512,
     * whose 32 registers serve narrower vectors too) or on AArch64 (NEON), 16 otherwise (AVX2, or
     * {@code -XX:UseAVX=2} on an AVX-512 CPU).
     */
    public record Selection(boolean vectorized, int bits, int registers, String reason) {
        /** Float lanes per vector, 1 on the scalar path. */
        public int floatLanes() {
            return vectorized ? bits / Float.SIZE : 1;
        }

        /** The one line that is logged. */
        public String describe() {
            return vectorized
                    ? "nn-simd: Vector API enabled, " + bits + "-bit float vectors (" + floatLanes() + " lanes), "
                            + registers + " vector registers; " + reason
                    : "nn-simd: scalar kernels; " + reason;
        }
    }

    /** The selection for this JVM, made on first use and logged once. */
    public static Selection selection() {
        Selection s = selection;
        if (s == null) {
            synchronized (VectorSupport.class) {
                s = selection;
                if (s == null) {
                    String forced = System.getProperty(WIDTH_PROPERTY);
                    s = decide(forced, ModuleLayer.boot().findModule(MODULE).isPresent());
                    announce(s, forced != null);
                    selection = s;
                }
            }
        }
        return s;
    }

    /**
     * Logs the selection. A scalar path nobody asked for is many times slower, so it is a warning, and when no
     * SLF4J provider is bound (SLF4J would print only "No providers") it goes to the JDK's System.Logger too.
     */
    private static void announce(Selection s, boolean forced) {
        if (s.vectorized() || forced) {
            LOG.info(s.describe());
            return;
        }
        LOG.warn(s.describe());
        if (LoggerFactory.getILoggerFactory() instanceof org.slf4j.helpers.NOPLoggerFactory) {
            System.getLogger(VectorSupport.class.getName()).log(System.Logger.Level.WARNING, s.describe());
        }
    }

    /**
     * New kernels of the selection: the Vector API ones at the chosen width, or the scalar twin. Kernels
     * keep scratch space, so each thread needs its own instance.
     */
    public static Kernels kernels() {
        if (!selection().vectorized()) {
            return new ScalarKernels();
        }
        try {
            return new PanamaKernels();
        } catch (LinkageError e) {
            LOG.warn("nn-simd: the Vector API kernels failed to load ({}); using the scalar twin", e.toString());
            return new ScalarKernels();
        }
    }

    /**
     * New scalar kernels, whatever the selection: the twin that gives the vector kernels' bits, for tests and
     * benchmarks that compare both in one JVM. Like {@link #kernels()}, one instance per thread.
     */
    public static Kernels scalarKernels() {
        return new ScalarKernels();
    }

    /** The decision itself, without caching or logging, for tests. */
    static Selection decide(String forced, boolean modulePresent) {
        return decide(forced, modulePresent, System.getProperty("os.arch", ""));
    }

    static Selection decide(String forced, boolean modulePresent, String arch) {
        if (forced != null && forced.trim().toLowerCase(Locale.ROOT).equals("scalar")) {
            return new Selection(false, 0, 0, "forced by -D" + WIDTH_PROPERTY + "=scalar");
        }
        if (!modulePresent) {
            return new Selection(false, 0, 0, "the " + MODULE + " module is not in this JVM;"
                    + " pass --add-modules " + MODULE + " to the java command to enable the fast path");
        }
        Optional<Integer> preferred = PanamaSpecies.preferredBits();
        if (preferred.isEmpty()) {
            return new Selection(false, 0, 0, "the Vector API could not be loaded; using the scalar twin");
        }
        int bits = preferred.get();
        int registers = bits >= 512 || arch.equals("aarch64") ? 32 : 16;
        if (forced != null) {
            int wanted = parseWidth(forced);
            if (wanted > bits) {
                throw new IllegalArgumentException("-D" + WIDTH_PROPERTY + "=" + forced + " is wider than this CPU's "
                        + bits + "-bit vectors");
            }
            return new Selection(true, wanted, registers, "width forced by -D" + WIDTH_PROPERTY + "=" + forced
                    + " (the CPU prefers " + bits + ")");
        }
        if (bits < 128) {
            return new Selection(false, 0, 0, "the CPU's preferred vectors are " + bits + " bits, narrower than 128");
        }
        return new Selection(true, bits, registers, "the CPU's preferred width");
    }

    private static int parseWidth(String forced) {
        switch (forced.trim()) {
            case "128":
                return 128;
            case "256":
                return 256;
            case "512":
                return 512;
            default:
                throw new IllegalArgumentException("-D" + WIDTH_PROPERTY + "=" + forced
                        + " is not a width; use 128, 256, 512 or scalar");
        }
    }
}
