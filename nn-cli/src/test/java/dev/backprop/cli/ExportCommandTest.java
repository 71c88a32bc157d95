package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.backprop.core.Activation;
import dev.backprop.core.Initializer;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.onnx.OnnxExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
    @TempDir
    Path dir;

    private Path model(Network network) throws Exception {
        Path file = dir.resolve("model.nnbp");
        ModelFile.write(file, new Model(Parameters.initialize(network, Initializer.xavier(), 5), Map.of("classes", "a,b,c")));
        return file;
    }

    @Test
    void exportWritesTheOnnxModelOfTheModelFile() throws Exception {
        Network network = Network.builder(6, 5, 3).hiddenActivation(Activation.RELU).softmaxCrossEntropy().build();
        Path file = model(network);
        Path onnx = dir.resolve("model.onnx");
        CliRunner r = CliRunner.run("export", "--model", file.toString(), "--format", "onnx", "--out", onnx.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(OnnxExport.encode(ModelFile.read(file)), Files.readAllBytes(onnx));
        assertEquals("wrote " + onnx + ": ONNX opset 13, 6-5-3 relu, softmax + cross-entropy, input 'features' "
                + "[batch, 6], output 'probabilities' [batch, 3]" + System.lineSeparator(), r.out());
    }

    @Test
    void anUnknownFormatOrAMissingModelIsRefusedAndNothingIsWritten() throws Exception {
        Path file = model(Network.of(2, 1));
        Path onnx = dir.resolve("m.onnx");
        CliRunner r = CliRunner.run("export", "--model", file.toString(), "--format", "pmml", "--out", onnx.toString());
        assertEquals(1, r.exitCode());
        assertEquals("nn export: --format must be onnx, got 'pmml'" + System.lineSeparator(), r.err());
        Path missing = dir.resolve("none.nnbp");
        r = CliRunner.run("export", "--model", missing.toString(), "--out", onnx.toString());
        assertEquals(1, r.exitCode());
        assertEquals("nn export: " + missing + ": model file not found" + System.lineSeparator(), r.err());
        assertFalse(Files.exists(onnx));
    }
}
