package dev.backprop.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.Activation;
import dev.backprop.core.SeededRandom;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernels alone against a naive triple loop in double precision, including empty and one-wide edges,
 * strided operands, and sizes that do not divide the vector width. Runs under every forced width (see
 * the Surefire executions of this module's pom).
 */
class KernelsTest {

    static Stream<Kernels> kernels() {
        return Stream.of(VectorSupport.kernels(), VectorSupport.scalarKernels()).distinct();
    }

    static final int[][] SHAPES = {
        {0, 5, 3}, {5, 0, 3}, {5, 3, 0}, {1, 1, 1}, {1, 17, 1}, {17, 1, 33}, {3, 17, 33}, {4, 48, 7},
        {5, 49, 300}, {33, 207, 17}, {64, 96, 513}, {7, 785, 3}, {13, 100, 257}, {9, 50, 1100},
    };

    /** n across strip edges (47, 48, 49, 97), k across block edges (511, 512, 513, 1025). */
    static final int[][] PACKED_SHAPES = {
        {0, 5, 3}, {5, 0, 3}, {5, 3, 0}, {1, 1, 1}, {4, 47, 7}, {5, 48, 511}, {9, 49, 512}, {3, 97, 513},
        {13, 10, 1025}, {6, 130, 33}, {7, 15, 40}, {5, 16, 40}, {9, 3, 17}, {2, 1, 0}, {3, 10, 129},
    };

    static Stream<Arguments> shapes() {
        return withEveryKernel(SHAPES);
    }

    /** Each shape m, n, k for every kernel: A plain and overwriting C, and A transposed and accumulating. */
    private static Stream<Arguments> withEveryKernel(int[][] mnk) {
        return kernels().flatMap(k -> Stream.of(mnk).flatMap(s -> Stream.of(
                Arguments.of(k, s[0], s[1], s[2], false, false),
                Arguments.of(k, s[0], s[1], s[2], true, true))));
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3} transposedA={4} accumulate={5}")
    @MethodSource("shapes")
    void gemmMatchesANaiveTripleLoop(Kernels kernels, int m, int n, int k, boolean transposedA, boolean accumulate) {
        SeededRandom r = new SeededRandom(m * 1_000_003L + n * 1009L + k);
        // Operands sit inside larger arrays, at offsets and with row strides wider than the rows.
        int aOff = 3;
        int aRs = transposedA ? 1 : k + 2;
        int aCs = transposedA ? m + 1 : 1;
        int bOff = 5;
        int bRs = n + 3;
        int cOff = 2;
        int cRs = n + 1;
        float[] a = random(r, aOff + Math.max(m, 1) * (k + 2) * (m + 2));
        float[] b = random(r, bOff + Math.max(k, 1) * bRs + 4);
        float[] c = random(r, cOff + Math.max(m, 1) * cRs + 3);
        double[] expected = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            expected[i] = c[i];
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = accumulate ? c[cOff + i * cRs + j] : 0.0;
                for (int p = 0; p < k; p++) {
                    s += (double) a[aOff + i * aRs + p * aCs] * b[bOff + p * bRs + j];
                }
                expected[cOff + i * cRs + j] = s;
            }
        }
        kernels.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, c, cOff, cRs, accumulate);
        for (int i = 0; i < c.length; i++) {
            // float32 sums of k products of values in [−1, 1]: error grows like √k · 2^−24 per term
            double tolerance = 1e-6 * (k + 1);
            int at = i;
            assertEquals(expected[i], c[i], tolerance, () -> kernels.name() + ": c[" + at + "]");
        }
    }

    static Stream<Arguments> packedShapes() {
        return withEveryKernel(PACKED_SHAPES);
    }

    /**
     * The packed GEMM gives the same bits as the plain one on the same B laid out row-major: both form
     * every sum in the same order (which the plain one is checked against the triple loop for above).
     * A narrow B is the exception, taken as dot products along k in the order of {@link FixedLanes}:
     * those are checked against the plain GEMM within rounding here, and against the scalar twin bit for
     * bit below.
     */
    @ParameterizedTest(name = "{0} m={1} n={2} k={3} transposedA={4} accumulate={5}")
    @MethodSource("packedShapes")
    void gemmOnPackedPanelsGivesTheBitsOfThePlainGemm(Kernels kernels, int m, int n, int k, boolean transposedA,
            boolean accumulate) {
        SeededRandom r = new SeededRandom(m * 31L + n * 7L + k);
        int aRs = transposedA ? 1 : k + 1;
        int aCs = transposedA ? m + 2 : 1;
        float[] a = random(r, 1 + Math.max(m, 1) * (k + 2) * (m + 2));
        float[] b = random(r, Math.max(k, 1) * n);
        int bOff = 7;
        float[] packed = new float[bOff + k * n + 3];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                packed[bOff + Panels.index(k, n, p, j)] = b[p * n + j];
            }
        }
        float[] plain = random(r, 2 + Math.max(m, 1) * (n + 1) + 2);
        float[] fromPanels = plain.clone();
        kernels.gemm(m, n, k, a, 1, aRs, aCs, b, 0, n, plain, 2, n + 1, accumulate);
        kernels.gemmPacked(m, n, k, a, 1, aRs, aCs, packed, bOff, fromPanels, 2, n + 1, accumulate);
        if (Panels.narrow(n)) {
            for (int i = 0; i < plain.length; i++) {
                assertEquals(plain[i], fromPanels[i], 2e-6 * (k + 1), kernels.name() + ": c[" + i + "]");
            }
        } else {
            assertEquals(java.util.Arrays.toString(plain), java.util.Arrays.toString(fromPanels), kernels.name());
        }
    }

    static Stream<Arguments> everyShape() {
        return Stream.concat(Stream.of(SHAPES), Stream.of(PACKED_SHAPES)).flatMap(s -> Stream.of(
                Arguments.of(s[0], s[1], s[2], false, false), Arguments.of(s[0], s[1], s[2], true, true),
                Arguments.of(s[0], s[1], s[2], false, true)));
    }

    /**
     * The vector kernels at this JVM's width and the scalar twin form every sum in the same order, so they
     * give the same bits: plain and packed, strided and not, across the block and strip edges and with
     * narrow B's dot products. (The Surefire runs at every forced width make this hold for every width.)
     */
    @ParameterizedTest(name = "m={0} n={1} k={2} transposedA={3} accumulate={4}")
    @MethodSource("everyShape")
    void vectorKernelsGiveTheBitsOfTheScalarTwin(int m, int n, int k, boolean transposedA, boolean accumulate) {
        Kernels vector = VectorSupport.kernels();
        Kernels scalar = VectorSupport.scalarKernels();
        SeededRandom r = new SeededRandom(m * 131L + n * 17L + k + (accumulate ? 7 : 0));
        int aRs = transposedA ? 1 : k + 1;
        int aCs = transposedA ? m + 2 : 1;
        float[] a = random(r, 1 + Math.max(m, 1) * (k + 2) * (m + 2));
        float[] b = random(r, Math.max(k, 1) * (n + 2));
        float[] packed = new float[3 + k * n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                packed[3 + Panels.index(k, n, p, j)] = b[p * (n + 2) + j];
            }
        }
        float[] c = random(r, 2 + Math.max(m, 1) * (n + 1) + 2);
        float[] fromVector = c.clone();
        float[] fromScalar = c.clone();
        vector.gemm(m, n, k, a, 1, aRs, aCs, b, 0, n + 2, fromVector, 2, n + 1, accumulate);
        scalar.gemm(m, n, k, a, 1, aRs, aCs, b, 0, n + 2, fromScalar, 2, n + 1, accumulate);
        assertEquals(bits(fromScalar), bits(fromVector), vector.name() + " gemm");
        fromVector = c.clone();
        fromScalar = c.clone();
        vector.gemmPacked(m, n, k, a, 1, aRs, aCs, packed, 3, fromVector, 2, n + 1, accumulate);
        scalar.gemmPacked(m, n, k, a, 1, aRs, aCs, packed, 3, fromScalar, 2, n + 1, accumulate);
        assertEquals(bits(fromScalar), bits(fromVector), vector.name() + " gemmPacked");
    }

    @org.junit.jupiter.api.Test
    void dotProductsSumInSixteenLogicalLanesWhateverTheWidth() {
        // 40 terms: lanes 0..15 get p and p + 16, then the halving, then p = 32..39 one at a time
        SeededRandom r = new SeededRandom(40);
        float[] a = random(r, 40);
        float[] b = random(r, 40);
        float[] lane = new float[16];
        for (int p = 0; p < 32; p++) {
            lane[p % 16] = Math.fma(a[p], b[p], lane[p % 16]);
        }
        for (int half = 8; half >= 1; half /= 2) {
            for (int l = 0; l < half; l++) {
                lane[l] = lane[l] + lane[l + half];
            }
        }
        float expected = lane[0];
        for (int p = 32; p < 40; p++) {
            expected = Math.fma(a[p], b[p], expected);
        }
        float[] c = new float[1];
        // B of one column (narrow, kept column by column, which for one column is the column itself)
        VectorSupport.kernels().gemmPacked(1, 1, 40, a, 0, 40, 1, b, 0, c, 0, 1, false);
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(c[0]),
                VectorSupport.kernels().name() + ": " + expected + " against " + c[0]);
    }

    private static String bits(float[] x) {
        StringBuilder s = new StringBuilder();
        for (float v : x) {
            s.append(Integer.toHexString(Float.floatToRawIntBits(v))).append(' ');
        }
        return s.toString();
    }

    @org.junit.jupiter.api.Test
    void panelsHoldEveryElementOnceInTheSpaceOfTheMatrix() {
        for (int[] kn : new int[][] {{1, 1}, {3, 47}, {512, 48}, {513, 49}, {1025, 1024}, {785, 10}}) {
            int k = kn[0];
            int n = kn[1];
            boolean[] seen = new boolean[k * n];
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    int at = Panels.index(k, n, p, j);
                    assertTrue(!seen[at], "B(" + p + ", " + j + ") of " + k + " × " + n + " shares " + at);
                    seen[at] = true;
                }
            }
        }
    }

    static Stream<Arguments> activations() {
        return kernels().flatMap(k -> Stream.of(Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.IDENTITY)
                .flatMap(g -> Stream.of(0, 1, 15, 16, 17, 100).map(len -> Arguments.of(k, g, len))));
    }

    @ParameterizedTest(name = "{0} {1} length={2}")
    @MethodSource("activations")
    void activationsAndDerivativesMatchTheScalarDefinitions(Kernels kernels, Activation g, int len) {
        SeededRandom r = new SeededRandom(len);
        float[] x = new float[len + 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-8, 8);
        }
        x[2 % x.length] = 0f;
        float[] before = x.clone();
        kernels.activate(g, x, 2, len);
        for (int i = 0; i < x.length; i++) {
            boolean inside = i >= 2 && i < 2 + len;
            double expected = inside ? g.apply(before[i]) : before[i];
            // e^x to about 2 ulp; tanh as 1 − 2/(e^2x + 1) loses up to ~2 ulp of 1 near 0
            assertEquals(expected, x[i], 3e-7 + 3e-7 * Math.abs(expected), kernels.name() + " g at " + i);
        }
        float[] delta = new float[len + 1];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = (float) r.nextDouble(-1, 1);
        }
        float[] deltaBefore = delta.clone();
        kernels.multiplyByDerivative(g, x, 2, delta, 1, len);
        for (int i = 0; i < delta.length; i++) {
            boolean inside = i >= 1 && i < 1 + len;
            double expected = inside ? deltaBefore[i] * g.derivative(before[i + 1], x[i + 1]) : deltaBefore[i];
            assertEquals(expected, delta[i], 1e-6 * Math.abs(deltaBefore[i]) + 1e-12, kernels.name() + " g' at " + i);
        }
    }

    @org.junit.jupiter.api.Test
    void vectorAndScalarActivationsGiveTheSameBits() {
        SeededRandom r = new SeededRandom(5);
        float[] z = new float[1000];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (r.nextGaussian() * 30);
        }
        z[0] = 0f;
        z[1] = -0f;
        z[2] = 1000f;
        z[3] = -1000f;
        for (Activation g : new Activation[] {Activation.SIGMOID, Activation.TANH, Activation.RELU}) {
            float[] vector = z.clone();
            float[] scalar = z.clone();
            VectorSupport.kernels().activate(g, vector, 0, vector.length);
            VectorSupport.scalarKernels().activate(g, scalar, 0, scalar.length);
            assertEquals(java.util.Arrays.toString(scalar), java.util.Arrays.toString(vector), g.toString());
        }
    }

    @org.junit.jupiter.api.Test
    void expIsAccurateAndNeverOverflowsOrUnderflowsToZero() {
        for (float x = -100f; x <= 100f; x += 0.0137f) {
            double expected = Math.exp(Math.min(Math.max(x, FloatFunctions.LOW), FloatFunctions.HIGH));
            float actual = FloatFunctions.exp(x);
            assertTrue(Float.isFinite(actual) && actual > 0f, "e^" + x + " = " + actual);
            assertEquals(expected, actual, 3 * Math.ulp((float) expected), "e^" + x);
        }
    }

    @org.junit.jupiter.api.Test
    void theKernelsAreTheOnesTheForcedWidthAsksFor() {
        String forced = System.getProperty(VectorSupport.WIDTH_PROPERTY);
        String name = VectorSupport.kernels().name();
        if (forced == null) {
            assertTrue(name.startsWith("panama-"), name);
        } else if (forced.equals("scalar")) {
            assertEquals("scalar", name);
        } else {
            assertEquals("panama-" + forced, name);
        }
        assertEquals(List.of("scalar"), List.of(VectorSupport.scalarKernels().name()));
    }

    private static float[] random(SeededRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }
}
