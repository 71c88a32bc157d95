package dev.backprop.core.testing;

import dev.backprop.core.Activation;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** jqwik generators of networks and weights, shared by the property tests of every module. */
public final class ModelArbitraries {
    private ModelArbitraries() {
    }

    /** Networks of 2 to 5 layers of 1 to 12 units, every activation, bias on and off. */
    public static Arbitrary<Network> networks() {
        return Combinators.combine(
                Arbitraries.integers().between(1, 12).array(int[].class).ofMinSize(2).ofMaxSize(5),
                Arbitraries.of(Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.IDENTITY),
                Arbitraries.of(Activation.SIGMOID, Activation.TANH, Activation.IDENTITY, Activation.SOFTMAX),
                Arbitraries.of(true, false)).as((units, hidden, output, bias) -> {
                    if (output == Activation.SOFTMAX) {
                        units[units.length - 1] = Math.max(2, units[units.length - 1]);
                    }
                    return RandomProblems.network(units, hidden, output, bias);
                });
    }

    /** Finite doubles of every kind: ordinary values, edge values (−0.0, subnormals, extremes), raw bit patterns. */
    public static Arbitrary<double[]> weights(int count) {
        Arbitrary<Double> any = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.doubles()),
                Tuple.of(1, Arbitraries.of(-0.0, Double.MIN_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL, 1e-310)),
                Tuple.of(2, Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite)));
        return any.array(double[].class).ofSize(count);
    }

    /** A network from {@link #networks()} with weights from {@link #weights(int)}. */
    public static Arbitrary<Parameters> parameters() {
        return networks().flatMap(n -> weights(n.parameterCount()).map(w -> Parameters.of(n, w)));
    }
}
