package dev.backprop.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The 3-3-1 network of docs/MATH.md worked out with plain arithmetic, written formula by formula in the test
 * (no loops, nothing shared with the engine), with the bias on and off.
 */
class HandWorkedNetworkTest {
    private static final double TOL = 1e-15;

    private static double g(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    @Test
    void threeThreeOneWithBiasMatchesTheFormulasOfMathMd() {
        Network network = Network.of(3, 3, 1);
        // W^(1): 3×4, column 0 multiplies x0 = 1
        double[][] w1 = {
            {0.10, -0.20, 0.30, 0.40},
            {-0.50, 0.60, -0.70, 0.80},
            {0.90, 0.15, -0.25, -0.35},
        };
        // W^(2): 1×4, column 0 multiplies a0^(2) = 1
        double[] w2 = {0.05, -0.45, 0.55, 0.65};
        double x1 = 0.5, x2 = -1.5, x3 = 2.0;
        double y = 0.25;
        Parameters p = Parameters.of(network, new double[] {
            w1[0][0], w1[0][1], w1[0][2], w1[0][3],
            w1[1][0], w1[1][1], w1[1][2], w1[1][3],
            w1[2][0], w1[2][1], w1[2][2], w1[2][3],
            w2[0], w2[1], w2[2], w2[3]});

        // Forward: a_j^(2) = g(w_j0 x0 + w_j1 x1 + w_j2 x2 + w_j3 x3), x0 = 1
        double z21 = w1[0][0] + w1[0][1] * x1 + w1[0][2] * x2 + w1[0][3] * x3;
        double z22 = w1[1][0] + w1[1][1] * x1 + w1[1][2] * x2 + w1[1][3] * x3;
        double z23 = w1[2][0] + w1[2][1] * x1 + w1[2][2] * x2 + w1[2][3] * x3;
        double a21 = g(z21), a22 = g(z22), a23 = g(z23);
        // h(x) = g(w10^(2) a0^(2) + w11^(2) a1^(2) + w12^(2) a2^(2) + w13^(2) a3^(2))
        double z31 = w2[0] + w2[1] * a21 + w2[2] * a22 + w2[3] * a23;
        double h = g(z31);
        double cost = 0.5 * (h - y) * (h - y);
        // δ^(3) = (a − y) g'(z), δ_j^(2) = w_j^(2) δ^(3) g'(z_j^(2)), with g' = a (1 − a)
        double d31 = (h - y) * h * (1 - h);
        double d21 = w2[1] * d31 * a21 * (1 - a21);
        double d22 = w2[2] * d31 * a22 * (1 - a22);
        double d23 = w2[3] * d31 * a23 * (1 - a23);
        // ∂J/∂w_jk = δ_j a_k (a_0 = 1), one example so D = Δ
        double[] expectedD = {
            d21, d21 * x1, d21 * x2, d21 * x3,
            d22, d22 * x1, d22 * x2, d22 * x3,
            d23, d23 * x1, d23 * x2, d23 * x3,
            d31, d31 * a21, d31 * a22, d31 * a23};

        ReferenceEngine.Trace t = new ReferenceEngine().trace(p, new double[] {x1, x2, x3}, new double[] {y});

        assertEquals(z21, t.z()[2][1], TOL);
        assertEquals(z22, t.z()[2][2], TOL);
        assertEquals(z23, t.z()[2][3], TOL);
        assertEquals(z31, t.z()[3][1], TOL);
        assertEquals(1.0, t.a()[2][0], 0.0, "a_0^(2) is the bias unit");
        assertEquals(a21, t.a()[2][1], TOL);
        assertEquals(a22, t.a()[2][2], TOL);
        assertEquals(a23, t.a()[2][3], TOL);
        assertEquals(h, t.a()[3][1], TOL);
        assertEquals(d31, t.delta()[3][1], TOL);
        assertEquals(d21, t.delta()[2][1], TOL);
        assertEquals(d22, t.delta()[2][2], TOL);
        assertEquals(d23, t.delta()[2][3], TOL);
        assertEquals(cost, t.cost(), TOL);
        assertArrayEquals(expectedD, t.gradient(), TOL);

        // The same through the engine contract: J and D = Δ/m for m = 1.
        GradientSum sum = new ReferenceEngine().accumulate(p,
                dev.backprop.core.data.DataSet.ofDoubles(new double[] {x1, x2, x3}, 3, new double[] {y}, 1));
        assertEquals(cost, sum.loss(), TOL);
        assertArrayEquals(expectedD, sum.gradient(), TOL);
        assertEquals(h, new ReferenceEngine().predict(p, new double[] {x1, x2, x3})[0], TOL);
    }

    @Test
    void hiddenLayerValuesForAKnownCaseMatchNumbersWorkedByHand() {
        // All weights 0 except w_11^(1) = 1: z_1^(2) = x1 = 0 → a = g(0) = 0.5 exactly; the others g(0) = 0.5.
        // z^(3) = 0 → h = 0.5; with y = 1: J = ½ (0.5 − 1)² = 0.125, δ^(3) = −0.5 · 0.25 = −0.125.
        Network network = Network.of(3, 3, 1);
        Parameters p = Parameters.zeros(network);
        p.values()[network.weightOffset(0) + 0 * network.weightColumns(0) + 1] = 1.0; // row 0, input 1
        ReferenceEngine.Trace t = new ReferenceEngine().trace(p, new double[] {0, 7, -3}, new double[] {1});
        assertEquals(0.5, t.a()[2][1], 0.0);
        assertEquals(0.5, t.a()[3][1], 0.0);
        assertEquals(0.125, t.cost(), 0.0);
        assertEquals(-0.125, t.delta()[3][1], 0.0);
        // ∂J/∂w_10^(2) = δ^(3) · 1, ∂J/∂w_11^(2) = δ^(3) · 0.5; hidden δ are 0 since W^(2) = 0
        assertEquals(-0.125, t.gradient()[12], 0.0);
        assertEquals(-0.0625, t.gradient()[13], 0.0);
        assertEquals(0.0, t.delta()[2][1], 0.0);
    }

    @Test
    void threeThreeOneWithoutBiasIsTheSecondDerivation() {
        Network network = Network.builder(3, 3, 1).bias(false).build();
        double[][] w1 = {
            {-0.20, 0.30, 0.40},
            {0.60, -0.70, 0.80},
            {0.15, -0.25, -0.35},
        };
        double[] w2 = {-0.45, 0.55, 0.65};
        double x1 = 0.5, x2 = -1.5, x3 = 2.0;
        double target = 0.75;
        Parameters p = Parameters.of(network, new double[] {
            w1[0][0], w1[0][1], w1[0][2],
            w1[1][0], w1[1][1], w1[1][2],
            w1[2][0], w1[2][1], w1[2][2],
            w2[0], w2[1], w2[2]});

        double z21 = w1[0][0] * x1 + w1[0][1] * x2 + w1[0][2] * x3;
        double z22 = w1[1][0] * x1 + w1[1][1] * x2 + w1[1][2] * x3;
        double z23 = w1[2][0] * x1 + w1[2][1] * x2 + w1[2][2] * x3;
        double a21 = g(z21), a22 = g(z22), a23 = g(z23);
        double z31 = w2[0] * a21 + w2[1] * a22 + w2[2] * a23;
        double out = g(z31);
        // E = ½ (d − y)²; the error of the output and of each hidden unit, propagated back
        double e = 0.5 * (out - target) * (out - target);
        double d31 = (out - target) * out * (1 - out);
        double d21 = w2[0] * d31 * a21 * (1 - a21);
        double d22 = w2[1] * d31 * a22 * (1 - a22);
        double d23 = w2[2] * d31 * a23 * (1 - a23);
        double[] expectedD = {
            d21 * x1, d21 * x2, d21 * x3,
            d22 * x1, d22 * x2, d22 * x3,
            d23 * x1, d23 * x2, d23 * x3,
            d31 * a21, d31 * a22, d31 * a23};

        ReferenceEngine.Trace t = new ReferenceEngine().trace(p, new double[] {x1, x2, x3}, new double[] {target});

        assertEquals(z21, t.z()[2][1], TOL);
        assertEquals(z23, t.z()[2][3], TOL);
        assertEquals(z31, t.z()[3][1], TOL);
        assertEquals(a22, t.a()[2][2], TOL);
        assertEquals(out, t.a()[3][1], TOL);
        assertEquals(d31, t.delta()[3][1], TOL);
        assertEquals(d22, t.delta()[2][2], TOL);
        assertEquals(e, t.cost(), TOL);
        assertArrayEquals(expectedD, t.gradient(), TOL);
    }
}
