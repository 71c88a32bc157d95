package dev.backprop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkTest {

    @Test
    void layoutIsMatrixAfterMatrixRowMajorBiasColumnFirst() {
        Network n = Network.of(3, 3, 1);
        assertEquals(2, n.weightMatrices());
        assertEquals(3, n.weightRows(0));
        assertEquals(4, n.weightColumns(0));
        assertEquals(0, n.weightOffset(0));
        assertEquals(12, n.weightOffset(1));
        assertEquals(16, n.parameterCount());
        assertTrue(n.isBiasWeight(0));
        assertTrue(n.isBiasWeight(4));
        assertTrue(n.isBiasWeight(12));
        assertFalse(n.isBiasWeight(13));
    }

    @Test
    void withoutBiasTheMatricesHaveNoBiasColumn() {
        Network n = Network.builder(3, 3, 1).bias(false).build();
        assertEquals(3, n.weightColumns(0));
        assertEquals(9 + 3, n.parameterCount());
        assertFalse(n.isBiasWeight(0));
    }

    @Test
    void defaultsAreSigmoidBiasAndHalfSquaredError() {
        Network n = Network.of(2, 4, 3);
        assertEquals(List.of(Activation.SIGMOID, Activation.SIGMOID), n.activations());
        assertTrue(n.bias());
        assertEquals(Cost.HALF_SSE, n.cost());
        assertEquals("2-4-3 [sigmoid, sigmoid] bias half-sse", n.toString());
    }

    @Test
    void aNetworkDescribesItselfInALineForPeople() {
        assertEquals("784-256-128-10 relu, softmax + cross-entropy", Network.builder(784, 256, 128, 10)
                .hiddenActivation(Activation.RELU).softmaxCrossEntropy().build().describe());
        assertEquals("3-1 sigmoid + half-sse, no bias units", Network.builder(3, 1).bias(false).build().describe());
        assertEquals("3-3-1 sigmoid, sigmoid + half-sse", Network.of(3, 3, 1).describe());
    }

    @Test
    void aClassifierHasSoftmaxAndCrossEntropy() {
        Network n = Network.builder(784, 256, 10).hiddenActivation(Activation.RELU).softmaxCrossEntropy().build();
        assertEquals(Activation.RELU, n.activation(1));
        assertEquals(Activation.SOFTMAX, n.activation(2));
        assertEquals(Cost.CROSS_ENTROPY, n.cost());
    }

    @Test
    void invalidDescriptionsAreRejectedWithAMessageSayingWhatIsWrong() {
        assertMessage("a network needs at least 2 layers (input and output), got 1 [3]", () -> Network.of(3));
        assertMessage("layer 1 of [3, 0, 1] has 0 units; every layer needs at least 1", () -> Network.of(3, 0, 1));
        assertMessage("layer 0 of [-2, 1] has -2 units; every layer needs at least 1", () -> Network.of(-2, 1));
        assertMessage("softmax is only allowed on the output layer, but hidden layer 1 of [3, 4, 2] has it",
                () -> Network.builder(3, 4, 2).activations(List.of(Activation.SOFTMAX, Activation.SOFTMAX))
                        .cost(Cost.CROSS_ENTROPY).build());
        assertMessage("a softmax output layer needs the cross-entropy cost, not half-sse",
                () -> Network.builder(3, 2).outputActivation(Activation.SOFTMAX).build());
        assertMessage("the cross-entropy cost needs a softmax output layer, not sigmoid",
                () -> Network.builder(3, 2).cost(Cost.CROSS_ENTROPY).build());
        assertMessage("softmax over a single output unit is always 1; use at least 2 output units or a sigmoid",
                () -> Network.builder(3, 1).softmaxCrossEntropy().build());
        assertMessage("3 activations given for the 2 non-input layers of [3, 3, 1]",
                () -> Network.builder(3, 3, 1).activations(List.of(Activation.TANH, Activation.TANH, Activation.TANH))
                        .build());
        assertMessage("the network [100000, 100000, 100000] has 20000200000 weights, more than one Java array can hold"
                + " (2147483639)", () -> Network.of(100000, 100000, 100000));
    }

    @Test
    void namesParseAndUnknownNamesListTheChoices() {
        assertEquals(Activation.TANH, Activation.parse("TANH"));
        assertEquals(Cost.CROSS_ENTROPY, Cost.parse("cross-entropy"));
        assertMessage("unknown activation 'swish'; expected one of sigmoid, tanh, relu, identity, softmax",
                () -> Activation.parse("swish"));
        assertMessage("unknown cost 'mse'; expected one of half-sse, cross-entropy", () -> Cost.parse("mse"));
    }

    static void assertMessage(String expected, org.junit.jupiter.api.function.Executable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        assertEquals(expected, e.getMessage());
    }
}
