package dev.backprop.cli.json;

import static dev.backprop.core.testing.ReaderContract.check;
import static dev.backprop.core.testing.ReaderContract.scratchFile;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.backprop.core.Parameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz test of the weights JSON reader, held to {@link dev.backprop.core.testing.ReaderContract}: from a
 * file (Jackson detects the encoding) and from text. The dictionary gives the fuzzer the format's words so it
 * reaches the shape checks rather than stopping at JSON syntax. Seeds, kept corpus and crashes are under
 * {@code WeightsJsonFuzzTestInputs/json} in the test resources.
 */
class WeightsJsonFuzzTest {
    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"\"layers\"", "\"weights\"", "\"activation\"", "\"bias\"", "\"cost\"", "\"sigmoid\"",
        "\"softmax\"", "\"relu\"", "\"cross-entropy\"", "\"half-sse\"", "true", "false", "1e308", "[[[", "]]]",
        "2147483647", "65536"})
    void json(byte[] bytes) throws IOException {
        Path file = Files.write(scratchFile(".json"), bytes);
        Parameters fromFile = check(file, bytes.length, () -> WeightsJson.read(file));
        String text = new String(bytes, StandardCharsets.UTF_8);
        Parameters fromText = check(file, bytes.length, () -> WeightsJson.parse(file, text));
        if (fromFile != null) {
            // Accepted weights are real: they write and read back unchanged.
            assertEquals(fromFile, WeightsJson.parse(file, WeightsJson.toJson(fromFile)));
        }
        if (fromText != null) {
            assertEquals(fromText, WeightsJson.parse(file, WeightsJson.toJson(fromText)));
        }
    }
}
