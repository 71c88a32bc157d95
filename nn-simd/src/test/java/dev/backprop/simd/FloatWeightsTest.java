package dev.backprop.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.core.Initializer;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The float weights hold W and Wᵀ where {@link Panels} says, however the loading was split. */
class FloatWeightsTest {

    @ParameterizedTest(name = "bias {0}, {1}")
    @CsvSource({"true, 600-100-49-3", "false, 600-100-49-3", "true, 5-20-3", "false, 5-20-3"})
    void bothFormsHoldEveryWeightTheProductsReadRoundedToFloatWhereThePanelsSay(boolean bias, String layers) {
        // 600 inputs cross a block of Panels.KC rows of Wᵀ; 100 and 49 units cross strips of Panels.WIDTH;
        // 3 outputs and 5 inputs are narrow, kept column by column
        int[] units = java.util.Arrays.stream(layers.split("-")).mapToInt(Integer::parseInt).toArray();
        Network network = Network.builder(units).bias(bias).build();
        Parameters params = Parameters.initialize(network, Initializer.xavier(), 3);
        FloatWeights weights = new FloatWeights(network);
        weights.load(params);
        double[] values = params.values();
        int lead = bias ? 1 : 0;
        for (int w = 0; w < network.weightMatrices(); w++) {
            int rows = network.weightRows(w);
            int cols = network.weightColumns(w);
            int base = network.weightOffset(w);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    float expected = (float) values[base + r * cols + c];
                    String where = "W" + w + "(" + r + ", " + c + ")";
                    assertEquals(expected, weights.forward[base + Panels.index(cols, rows, c, r)], where + " in Wᵀ");
                    if (c >= lead && w > 0) {
                        assertEquals(expected, weights.backward[base + Panels.index(rows, cols - lead, r, c - lead)],
                                where + " in W");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} parts")
    @ValueSource(ints = {2, 3, 7, 64})
    void loadingInPartsGivesTheWholeLoad(int parts) {
        Network network = Network.of(785, 130, 50, 10);
        Parameters params = Parameters.initialize(network, Initializer.xavier(), 5);
        FloatWeights whole = new FloatWeights(network);
        whole.load(params);
        FloatWeights split = new FloatWeights(network);
        for (int part = parts - 1; part >= 0; part--) {
            split.load(params, part, parts);
        }
        assertArrayEquals(whole.forward, split.forward);
        assertArrayEquals(whole.backward, split.backward);
    }

    @ParameterizedTest(name = "part {0} of 7")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
    void aPartLoadsWholeStripsOfWTransposedSoThatNoTwoThreadsShareOne(int part) {
        Network network = Network.of(785, 130, 50, 10);
        Parameters params = Parameters.initialize(network, Initializer.xavier(), 5);
        FloatWeights weights = new FloatWeights(network);
        weights.load(params, part, 7);
        for (int w = 0; w < network.weightMatrices(); w++) {
            int rows = network.weightRows(w);
            int cols = network.weightColumns(w);
            int base = network.weightOffset(w);
            for (int r = 0; r < rows; r++) {
                int first = r - r % Panels.WIDTH; // the strip's first row
                boolean loaded = weights.forward[base + Panels.index(cols, rows, 0, r)] != 0f;
                boolean firstLoaded = weights.forward[base + Panels.index(cols, rows, 0, first)] != 0f;
                assertEquals(firstLoaded, loaded, "W" + w + " row " + r + " against row " + first + " of its strip");
            }
        }
    }
}
