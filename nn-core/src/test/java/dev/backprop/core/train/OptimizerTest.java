package dev.backprop.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.core.Network;
import org.junit.jupiter.api.Test;

/** Each update rule worked out for two steps with plain arithmetic. */
class OptimizerTest {

    @Test
    void sgdStepsAgainstTheGradient() {
        double[] w = {1.0, -2.0};
        Optimizer.sgd(0.5).update(w, new double[] {0.2, -0.4});
        assertArrayEquals(new double[] {1.0 - 0.1, -2.0 + 0.2}, w, 0.0);
    }

    @Test
    void momentumAccumulatesVelocity() {
        Optimizer o = Optimizer.momentum(0.1, 0.9);
        double[] w = {1.0};
        o.update(w, new double[] {0.5}); // v = 0.5, w = 1 − 0.05
        o.update(w, new double[] {0.5}); // v = 0.45 + 0.5 = 0.95, w −= 0.095
        assertEquals(1.0 - 0.1 * 0.5 - 0.1 * (0.9 * 0.5 + 0.5), w[0], 1e-15);
        assertEquals(2, o.steps());
        assertEquals(0.9 * 0.5 + 0.5, o.state().get(0)[0], 1e-15);
    }

    @Test
    void nesterovLooksAhead() {
        Optimizer o = Optimizer.nesterov(0.1, 0.9);
        double[] w = {1.0};
        o.update(w, new double[] {0.5}); // v = 0.5, w −= 0.1 (0.5 + 0.45)
        double afterOne = 1.0 - 0.1 * (0.5 + 0.9 * 0.5);
        assertEquals(afterOne, w[0], 1e-15);
        o.update(w, new double[] {-1.0}); // v = 0.45 − 1 = −0.55, w −= 0.1 (−1 + 0.9 · −0.55)
        assertEquals(afterOne - 0.1 * (-1.0 + 0.9 * -0.55), w[0], 1e-15);
    }

    @Test
    void adamCorrectsItsMomentsForBias() {
        Optimizer o = Optimizer.adam(0.01, 0.9, 0.999, 1e-8);
        double[] w = {0.3};
        double g1 = 2.0, g2 = -1.0;
        o.update(w, new double[] {g1});
        // step 1: m̂ = g, v̂ = g², so the step is α g / (|g| + ε)
        double w1 = 0.3 - 0.01 * g1 / (Math.sqrt(g1 * g1) + 1e-8);
        assertEquals(w1, w[0], 1e-15);
        o.update(w, new double[] {g2});
        double m = 0.9 * (0.1 * g1) + 0.1 * g2;
        double v = 0.999 * (0.001 * g1 * g1) + 0.001 * g2 * g2;
        double mHat = m / (1 - 0.9 * 0.9);
        double vHat = v / (1 - 0.999 * 0.999);
        assertEquals(w1 - 0.01 * mHat / (Math.sqrt(vHat) + 1e-8), w[0], 1e-15);
    }

    @Test
    void badSettingsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0));
        assertEquals("the learning rate must be positive and finite, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.momentum(0.1, 1.0));
        assertEquals("momentum μ must be in [0, 1), got 1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0.1).update(new double[2], new double[3]));
        assertEquals("gradient has 3 entries for 2 weights", e.getMessage());
    }

    @Test
    void l2PenalizesConnectionsButNotBiasWeights() {
        Network n = Network.of(2, 1);
        double[] w = {0.5, 2.0, -3.0}; // bias, w11, w12
        double[] d = {0.1, 0.1, 0.1};
        double penalty = Trainer.addL2(n, w, d, 0.01);
        assertArrayEquals(new double[] {0.1, 0.1 + 0.02, 0.1 - 0.03}, d, 1e-15);
        assertEquals(0.5 * 0.01 * (4.0 + 9.0), penalty, 1e-15);
    }
}
