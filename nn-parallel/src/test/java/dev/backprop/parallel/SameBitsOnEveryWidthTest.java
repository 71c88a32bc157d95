package dev.backprop.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.Activation;
import dev.backprop.core.Cost;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.testing.RandomProblems;
import dev.backprop.simd.SimdEngine;
import dev.backprop.simd.VectorSupport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same D, J and h(x) bits at every vector width and on every JDK at hand: a child JVM per width
 * (scalar, 128, 256, and 512 where the CPU has it; the width is fixed when the kernels load) computes
 * fingerprints of the SIMD engine's and the parallel engine's results on random networks of odd sizes,
 * every activation and cost, bias on and off, and the parallel engine on 1 to 8 threads; they must all
 * print the same lines. A Temurin 25 found under /usr/lib/jvm runs the same check as a second JDK.
 */
class SameBitsOnEveryWidthTest {
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    @Test
    void gradientsAndPredictionsHaveTheSameBitsAtEveryWidthAndOnEveryJdk() throws Exception {
        String thisJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> widths = new ArrayList<>(List.of("scalar", "128", "256"));
        if (VectorSupport.selection().vectorized() && VectorSupport.selection().bits() >= 512) {
            widths.add("512");
        }
        Map<String, List<String>> runs = new LinkedHashMap<>();
        for (String width : widths) {
            runs.put("width " + width, fingerprints(thisJava, width));
        }
        if (Files.isExecutable(JDK25) && !thisJava.startsWith("/usr/lib/jvm/temurin-25")) {
            runs.put("JDK 25, preferred width", fingerprints(JDK25.toString(), null));
        }
        List<String> first = runs.values().iterator().next();
        assertEquals(Fingerprints.cases().size(), first.size(), "one line per case: " + first);
        for (Map.Entry<String, List<String>> run : runs.entrySet()) {
            assertEquals(first, run.getValue(), run.getKey() + " against " + runs.keySet().iterator().next());
        }
    }

    private static List<String> fingerprints(String java, String width) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector"));
        if (width != null) {
            command.add("-D" + VectorSupport.WIDTH_PROPERTY + "=" + width);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Fingerprints.class.getName()));
        Path out = Files.createTempFile("fingerprints", ".txt");
        try {
            Process child = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM at width " + width + " finished");
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertEquals(0, child.exitValue(), "child at width " + width + " printed " + lines);
            return lines;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The child: one line per case, the fingerprints of every engine and thread count, or a mismatch. */
    public static final class Fingerprints {
        record Case(int[] units, Activation hidden, Activation output, Cost cost, boolean bias, int m, long seed) {
        }

        static List<Case> cases() {
            int[][] shapes = {{37, 29, 13, 5}, {1, 3, 1}, {17, 33, 207, 3}, {3, 17, 1}, {50, 47, 49, 16}, {9, 130, 10}};
            Activation[] hidden = {Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.IDENTITY};
            int[] batches = {1, 7, 300, 1100};
            List<Case> cases = new ArrayList<>();
            int n = 0;
            for (int[] units : shapes) {
                for (Activation g : hidden) {
                    boolean bias = n % 2 == 0;
                    // every cost: half-sse with a sigmoid or identity output, and softmax with cross-entropy
                    Activation output = switch (n % 3) {
                        case 0 -> Activation.SIGMOID;
                        case 1 -> Activation.IDENTITY;
                        default -> Activation.SOFTMAX;
                    };
                    Cost cost = output == Activation.SOFTMAX ? Cost.CROSS_ENTROPY : Cost.HALF_SSE;
                    int[] u = units.clone();
                    if (output == Activation.SOFTMAX) {
                        u[u.length - 1] = Math.max(2, u[u.length - 1]);
                    }
                    cases.add(new Case(u, g, output, cost, bias, batches[n % batches.length], 1000L + n));
                    n++;
                }
            }
            return cases;
        }

        public static void main(String[] args) throws Exception {
            ParallelEngine[] parallel = new ParallelEngine[9];
            for (int t = 1; t <= 8; t++) {
                parallel[t] = new ParallelEngine(t, new Chunking(16, 64), 32);
            }
            SimdEngine simd = new SimdEngine(64);
            try {
                for (Case c : cases()) {
                    Network network = RandomProblems.network(c.units(), c.hidden(), c.output(), c.bias());
                    Parameters params = RandomProblems.parameters(network, 0.5, c.seed());
                    DataSet data = RandomProblems.data(network, c.m(), c.seed() + 1, false);
                    String line = "simd " + fingerprint(simd, params, data);
                    String first = fingerprint(parallel[1], params, data);
                    for (int t = 2; t <= 8; t++) {
                        String other = fingerprint(parallel[t], params, data);
                        if (!other.equals(first)) {
                            first = first + " MISMATCH on " + t + " threads: " + other;
                        }
                    }
                    System.out.println(line + " parallel " + first);
                }
            } finally {
                for (int t = 1; t <= 8; t++) {
                    parallel[t].close();
                }
            }
        }

        static String fingerprint(dev.backprop.core.GradientEngine engine, Parameters params, DataSet data)
                throws NoSuchAlgorithmException {
            GradientSum sum = GradientSum.zeros(params.network());
            engine.compute(params, data, 0, data.size(), sum);
            double[] h = new double[data.size() * params.network().outputs()];
            engine.predict(params, data, 0, data.size(), h);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer bytes = ByteBuffer.allocate(8 * (sum.deltaSum().length + h.length + 2));
            for (double d : sum.deltaSum()) {
                bytes.putLong(Double.doubleToRawLongBits(d));
            }
            for (double d : h) {
                bytes.putLong(Double.doubleToRawLongBits(d));
            }
            bytes.putLong(Double.doubleToRawLongBits(sum.loss())).putLong(sum.count());
            return HexFormat.of().formatHex(sha.digest(bytes.array()), 0, 8);
        }
    }
}
