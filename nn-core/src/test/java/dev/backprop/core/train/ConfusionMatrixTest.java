package dev.backprop.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.core.data.DataSet;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    /**
     * A 2-3 identity network with no bias predicts the arg max of its inputs, so the counts can be written
     * down by hand.
     */
    @Test
    void countsAccuracyPrecisionAndRecallByHand() {
        Network n = Network.builder(3, 3).activation(dev.backprop.core.Activation.IDENTITY).bias(false).build();
        Parameters identity = Parameters.of(n, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        float[] x = {
            0.9f, 0.1f, 0.0f, // predicted 0
            0.8f, 0.0f, 0.1f, // predicted 0
            0.0f, 0.7f, 0.2f, // predicted 1
            0.1f, 0.2f, 0.3f, // predicted 2
            0.5f, 0.4f, 0.0f, // predicted 0
        };
        int[] labels = {0, 1, 1, 2, 2};
        ConfusionMatrix cm = ConfusionMatrix.evaluate(new ReferenceEngine(), identity, DataSet.classification(x, 3, labels, 3));
        assertEquals(5, cm.total());
        assertEquals(1, cm.count(0, 0));
        assertEquals(1, cm.count(1, 0));
        assertEquals(1, cm.count(1, 1));
        assertEquals(1, cm.count(2, 2));
        assertEquals(1, cm.count(2, 0));
        assertEquals(3 / 5.0, cm.accuracy());
        assertEquals(1 / 3.0, cm.precision(0));
        assertEquals(1.0, cm.recall(0));
        assertEquals(1.0, cm.precision(1));
        assertEquals(0.5, cm.recall(1));
        assertEquals(0.5, cm.recall(2));
        // ½ Σ (a − y)² per example, written out: (0.01+0.01) + (0.64+1+0.01) + (0.09+0.04) + (0.01+0.04+0.49)
        // + (0.25+0.16+1), halved and averaged over 5
        double expected = 0.5 * (0.02 + 1.65 + 0.13 + 0.54 + 1.41) / 5;
        assertEquals(expected, cm.meanLoss(), 1e-7);
        String nl = System.lineSeparator();
        assertEquals("accuracy 0.6000 (3 of 5)" + nl + nl
                + "class  precision  recall  examples" + nl
                + "a         0.3333  1.0000         1" + nl
                + "b         1.0000  0.5000         2" + nl
                + "c         1.0000  0.5000         2" + nl + nl
                + "confusion matrix (rows: true class, columns: predicted)" + nl
                + "       0  1  2" + nl
                + "a      1  0  0" + nl
                + "b      1  1  0" + nl
                + "c      1  0  1" + nl, cm.report(new String[] {"a", "b", "c"}));
    }

    @Test
    void tiesGoToTheFirstClass() {
        assertEquals(1, ConfusionMatrix.argMax(new double[] {9, 1, 3, 3, 2}, 1, 4));
    }
}
