package dev.backprop.cli.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.core.Activation;
import dev.backprop.core.Cost;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.FileFormatException;
import dev.backprop.core.testing.RandomProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsJsonTest {
    private static final Path FILE = Path.of("w.json");

    @Test
    void writeThenReadIsTheIdentityForEveryBit() throws FileFormatException {
        Network n = Network.builder(5, 4, 3).activations(List.of(Activation.RELU, Activation.SOFTMAX))
                .cost(Cost.CROSS_ENTROPY).bias(false).build();
        Parameters p = RandomProblems.parameters(n, 1e-3, 77);
        p.values()[3] = 1e-310; // subnormal
        p.values()[4] = -123456789.123456789;
        Parameters back = WeightsJson.parse(FILE, WeightsJson.toJson(p));
        assertEquals(p, back);
    }

    @Test
    void theDocumentedLayoutReadsWithDefaults() throws FileFormatException {
        Parameters p = WeightsJson.parse(FILE,
                "{\"layers\":[2,1], \"weights\":[ [[0.5, -1, 2]] ]}");
        assertEquals(Network.of(2, 1), p.network());
        assertEquals(-1.0, p.values()[1], 0.0); // W^(1), row 0, after the bias weight
        Parameters perLayer = WeightsJson.parse(FILE,
                "{\"layers\":[1,1,1], \"activation\":[\"tanh\",\"identity\"], \"bias\":false, \"weights\":[[[2]],[[3]]]}");
        assertEquals(List.of(Activation.TANH, Activation.IDENTITY), perLayer.network().activations());
    }

    @Test
    void badWeightFilesNameTheField() {
        assertError("line 1, column 11: invalid JSON: Unexpected character (']' (code 93)): expected a valid value (JSON String,"
                + " Number, Array, Object or token 'null', 'true' or 'false')",
                "{\"layers\":]");
        assertError("the field \"weights\" is missing", "{\"layers\":[2,1]}");
        assertError("\"wieghts\": unknown field; the fields are layers, activation, bias, cost and weights",
                "{\"layers\":[2,1],\"wieghts\":[]}");
        assertError("layers[1]: 1.5 is not a whole number of units", "{\"layers\":[2,1.5],\"weights\":[]}");
        assertError("layer 1 of [2, 0] has 0 units; every layer needs at least 1", "{\"layers\":[2,0],\"weights\":[]}");
        assertError("unknown activation 'swish'; expected one of sigmoid, tanh, relu, identity, softmax",
                "{\"layers\":[2,1],\"activation\":\"swish\",\"weights\":[]}");
        assertError("weights: must be an array of 1 matrices for the layers [2, 1], found 2 matrices",
                "{\"layers\":[2,1],\"weights\":[[[1,2,3]],[[1]]]}");
        assertError("weights[0]: must have 1 rows, one per unit of layer 1, found 2",
                "{\"layers\":[2,1],\"weights\":[[[1,2,3],[1,2,3]]]}");
        assertError("weights[0][0][2]: \"x\" is not a number", "{\"layers\":[2,1],\"weights\":[[[1,2,\"x\"]]]}");
        assertError("weights[0][0][1]: the number is too large for a double",
                "{\"layers\":[2,1],\"weights\":[[[1,1e999,2]]]}");
        assertError("bias: must be true or false, found \"yes\"", "{\"layers\":[2,1],\"bias\":\"yes\",\"weights\":[]}");
    }

    private static void assertError(String expected, String json) {
        FileFormatException e = assertThrows(FileFormatException.class, () -> WeightsJson.parse(FILE, json));
        assertEquals("w.json: " + expected, e.getMessage());
    }

    @Test
    void findingsOfTheFuzzerAreRefusedWithTheFileNamed(@TempDir Path dir) throws IOException {
        // Bytes that look like UTF-32 by their start but hold no valid character (fuzz finding 9295144f).
        Path utf32 = Files.write(dir.resolve("w.json"), new byte[] {'{', 0, 0, 0, 0, 0, 0, 0, 0x0e, 0x0d, (byte) 0x8c, (byte) 0xdd});
        FileFormatException e = assertThrows(FileFormatException.class, () -> WeightsJson.read(utf32));
        assertEquals(true, e.getMessage().startsWith(utf32 + ": is not text in UTF-8, UTF-16 or UTF-32: "), e.getMessage());
        // Layers whose weights would take 12.8 GB, with one row given: refused from the shape, before allocating.
        e = assertThrows(FileFormatException.class,
                () -> WeightsJson.parse(FILE, "{\"layers\": [40000, 40000], \"weights\": [[[1]]]}"));
        assertEquals(FILE + ": weights[0]: must have 40000 rows, one per unit of layer 1, found 1", e.getMessage());
    }
}
