package dev.backprop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.core.data.DataSet;
import dev.backprop.core.testing.RandomProblems;
import org.junit.jupiter.api.Test;

class GradientSumTest {
    private final ReferenceEngine engine = new ReferenceEngine();

    @Test
    void gradientOverABatchIsTheMeanOfTheOneExampleGradients() {
        Network network = RandomProblems.network(new int[] {5, 7, 3}, Activation.TANH, Activation.SIGMOID, true);
        Parameters p = RandomProblems.parameters(network, 0.5, 3);
        int m = 9;
        DataSet data = RandomProblems.data(network, m, 4, false);

        double[] mean = new double[network.parameterCount()];
        double meanLoss = 0.0;
        for (int i = 0; i < m; i++) {
            GradientSum one = GradientSum.zeros(network);
            engine.accumulate(p, data, i, i + 1, one);
            double[] di = one.gradient();
            for (int k = 0; k < mean.length; k++) {
                mean[k] += di[k] / m;
            }
            meanLoss += one.loss() / m;
        }
        GradientSum all = engine.accumulate(p, data);
        assertEquals(m, all.count());
        assertArrayEquals(mean, all.gradient(), 1e-15);
        assertEquals(meanLoss, all.loss(), 1e-15);
    }

    @Test
    void deltaOverASplitBatchMergedEqualsDeltaOverTheWholeBatch() {
        Network network = RandomProblems.network(new int[] {4, 6, 5, 3}, Activation.RELU, Activation.SOFTMAX, true);
        Parameters p = RandomProblems.parameters(network, 0.5, 5);
        DataSet data = RandomProblems.data(network, 17, 6, false);

        GradientSum whole = engine.accumulate(p, data);
        GradientSum left = GradientSum.zeros(network);
        GradientSum right = GradientSum.zeros(network);
        engine.accumulate(p, data, 0, 8, left);
        engine.accumulate(p, data, 8, 17, right);
        GradientSum merged = left.copy().merge(right);

        assertEquals(17, merged.count());
        assertArrayEquals(whole.deltaSum(), merged.deltaSum(), 1e-13);
        assertEquals(whole.lossSum(), merged.lossSum(), 1e-13);
        // A fixed grouping is exactly reproducible.
        GradientSum again = left.copy().merge(right);
        assertArrayEquals(merged.deltaSum(), again.deltaSum(), 0.0);
    }

    @Test
    void mergingAnEmptySumChangesNothing() {
        Network network = Network.of(2, 2, 1);
        Parameters p = RandomProblems.parameters(network, 1, 1);
        GradientSum sum = engine.accumulate(p, RandomProblems.data(network, 3, 2, true));
        double[] before = sum.deltaSum().clone();
        sum.merge(GradientSum.zeros(network));
        assertArrayEquals(before, sum.deltaSum(), 0.0);
        assertEquals(3, sum.count());
    }

    @Test
    void gradientOfNoExamplesIsRefused() {
        GradientSum empty = GradientSum.zeros(4);
        IllegalStateException e = assertThrows(IllegalStateException.class, empty::gradient);
        assertEquals("no examples have been accumulated; D = Δ/m needs m > 0", e.getMessage());
    }

    @Test
    void mergingSumsOfDifferentNetworksIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientSum.zeros(4).merge(GradientSum.zeros(5)));
        assertEquals("cannot merge a gradient sum of 5 weights into one of 4", e.getMessage());
    }

    @Test
    void engineRefusesDataOfTheWrongShape() {
        Network network = Network.of(3, 2, 1);
        Parameters p = Parameters.zeros(network);
        DataSet wrongInputs = DataSet.ofDoubles(new double[] {1, 2}, 2, new double[] {1}, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.accumulate(p, wrongInputs));
        assertEquals("the data has 2 inputs per example, but the network's input layer has 3 units", e.getMessage());
        DataSet wrongTargets = DataSet.ofDoubles(new double[] {1, 2, 3}, 3, new double[] {1, 0}, 2);
        e = assertThrows(IllegalArgumentException.class, () -> engine.accumulate(p, wrongTargets));
        assertEquals("the data has 2 targets per example, but the network's output layer has 1 unit", e.getMessage());
    }
}
