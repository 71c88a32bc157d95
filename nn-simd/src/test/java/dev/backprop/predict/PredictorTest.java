package dev.backprop.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.Activation;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.testing.Allocations;
import dev.backprop.core.testing.RandomProblems;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PredictorTest {
    private static final Duration WARM_UP = Duration.ofSeconds(60);

    /** h(x) by the reference engine in double precision, rounded to float: what the predictor should give. */
    private static double[] reference(Parameters p, DataSet data) {
        double[] h = new double[data.size() * p.network().outputs()];
        new ReferenceEngine().predict(p, data, 0, data.size(), h);
        return h;
    }

    private static float[] inputs(DataSet data) {
        float[] x = new float[data.size() * data.inputSize()];
        data.readInputs(0, data.size(), x, 0);
        return x;
    }

    private static double[] widen(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    @ParameterizedTest
    @CsvSource({
        "sigmoid, sigmoid, true", "tanh, identity, true", "relu, softmax, true", "identity, sigmoid, true",
        "sigmoid, softmax, false", "tanh, tanh, false", "relu, identity, false", "identity, relu, false",
    })
    void oneExampleAndBatchesAgreeWithTheReference(String hidden, String output, boolean bias) {
        Network network = RandomProblems.network(new int[] {33, 17, 9, 5}, Activation.parse(hidden),
                Activation.parse(output), bias);
        Parameters p = RandomProblems.parameters(network, 0.4, 7);
        int m = Predictor.BLOCK * 2 + 3; // two whole blocks and a short one
        DataSet data = RandomProblems.data(network, m, 8, false);
        double[] expected = reference(p, data);
        Predictor predictor = Predictor.of(p);
        float[] x = inputs(data);

        assertArrayEquals(expected, widen(predictor.predict(x, m)), 1e-6, "the batch");
        float[] one = new float[33];
        for (int i = 0; i < m; i += 17) {
            System.arraycopy(x, i * 33, one, 0, 33);
            double[] row = java.util.Arrays.copyOfRange(expected, i * 5, i * 5 + 5);
            assertArrayEquals(row, widen(predictor.predict(one)), 1e-6, "example " + i);
        }
    }

    @Test
    void aModelFileLoadsOnceAndPredictsLikeTheModelInMemory(@TempDir Path dir) throws Exception {
        Network network = RandomProblems.network(new int[] {6, 4, 3}, Activation.RELU, Activation.SOFTMAX, true);
        Parameters p = RandomProblems.parameters(network, 0.8, 11);
        Model model = new Model(p, Map.of("classes", "a,b,c"));
        Path file = dir.resolve("m.nnbp");
        ModelFile.write(file, model);

        Predictor loaded = Predictor.load(file);
        assertEquals("a,b,c", loaded.model().provenance().get("classes"));
        assertTrue(loaded.isClassifier());
        assertEquals(6, loaded.inputs());
        assertEquals(3, loaded.outputs());
        float[] x = {0.5f, -1, 0.25f, 2, 0, -0.75f};
        float[] h = loaded.predict(x);
        assertArrayEquals(Predictor.of(model).predict(x), h);
        assertEquals(1.0, h[0] + h[1] + h[2], 1e-6, "probabilities");
        int argmax = h[0] >= h[1] && h[0] >= h[2] ? 0 : h[1] >= h[2] ? 1 : 2;
        assertEquals(argmax, loaded.predictClass(x));
        assertFalse(Predictor.of(RandomProblems.parameters(Network.of(2, 1), 1, 1)).isClassifier());
    }

    @Test
    void manyThreadsAtOnceGetTheBitsOfOneThread() throws Exception {
        Network network = RandomProblems.network(new int[] {40, 30, 4}, Activation.TANH, Activation.SOFTMAX, true);
        Parameters p = RandomProblems.parameters(network, 0.5, 3);
        int m = 200;
        float[] x = inputs(RandomProblems.data(network, m, 4, false));
        Predictor predictor = Predictor.of(p);
        float[] expected = predictor.predict(x, m);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    float[] all = new float[m * 4];
                    float[] one = new float[40];
                    float[] out = new float[4];
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < m; i++) {
                            System.arraycopy(x, i * 40, one, 0, 40);
                            predictor.predict(one, out);
                            System.arraycopy(out, 0, all, i * 4, 4);
                        }
                    }
                    return all;
                }));
            }
            for (Future<float[]> r : results) {
                assertArrayEquals(expected, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCallInTheSteadyStateAllocatesNothing() {
        Network network = RandomProblems.network(new int[] {40, 33, 7}, Activation.RELU, Activation.SOFTMAX, true);
        Predictor predictor = Predictor.of(RandomProblems.parameters(network, 0.3, 5));
        float[] batch = inputs(RandomProblems.data(network, 70, 6, false));
        float[] one = java.util.Arrays.copyOf(batch, 40);
        float[] out = new float[70 * 7];
        assertEquals(0, Allocations.fewestBytesPerCall(() -> predictor.predict(one, out), 0, WARM_UP),
                "bytes allocated by one prediction");
        assertEquals(0, Allocations.fewestBytesPerCall(() -> predictor.predict(batch, 70, out), 0, WARM_UP),
                "bytes allocated by a batch");
        assertEquals(0, Allocations.fewestBytesPerCall(() -> predictor.predictClass(one), 0, WARM_UP),
                "bytes allocated by a class prediction");
    }

    @Test
    void badInputsAreRefusedWithTheRowAndTheFeature() {
        Predictor predictor = Predictor.of(RandomProblems.parameters(Network.of(3, 2, 2), 0.5, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(new float[4]));
        assertEquals("the model takes 3 features, got 4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> predictor.predict(new float[] {0, Float.NaN, 1}));
        assertEquals("feature 1 is NaN; the model takes finite numbers", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> predictor.predictClass(new float[] {0, 1, Float.NEGATIVE_INFINITY}));
        assertEquals("feature 2 is -Infinity; the model takes finite numbers", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> predictor.predict(new float[3], new float[1]));
        assertEquals("the model gives 2 outputs, but out has room for 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> predictor.predict(new float[7], 2));
        assertEquals("a batch of 2 rows takes 6 features (3 each), got 7", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(new float[] {0, 0, 0, 0, Float.POSITIVE_INFINITY, 0}, 2));
        assertEquals("row 1, feature 1 is Infinity; the model takes finite numbers", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> predictor.predict(new float[6], 2, new float[3]));
        assertEquals("a batch of 2 rows gives 4 outputs (2 each), but out has room for 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> predictor.predict(new float[0], 0));
        assertEquals("a batch needs at least 1 row, got 0", e.getMessage());
    }
}
