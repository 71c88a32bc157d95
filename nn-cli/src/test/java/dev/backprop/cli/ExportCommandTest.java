package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;

import dev.backprop.core.Activation;
import dev.backprop.core.Initializer;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.tabular.ColumnEncoding;
import dev.backprop.core.tabular.Preprocessing;
import dev.backprop.onnx.OnnxExport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

    @Test
    void theIrisModelOfNnTrainExportsWithItsStandardizationAndSaysWhatToFeed() throws Exception {
        Path run = dir.resolve("iris");
        CliRunner train = CliRunner.run("train", "--data", Path.of("..", "data", "examples", "iris.csv").toString(),
                "--target", "species", "--epochs", "2", "--out", run.toString());
        assertEquals(0, train.exitCode(), train.err());
        Path file = run.resolve(TrainCommand.MODEL);
        Path onnx = dir.resolve("iris.onnx");
        CliRunner r = CliRunner.run("export", "--model", file.toString(), "--out", onnx.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("wrote " + onnx + ": ONNX opset 13, 4-64-3 relu, softmax + cross-entropy, input 'features' "
                + "[batch, 4], output 'probabilities' [batch, 3]" + System.lineSeparator()
                + "input: the raw numbers of sepal_length, sepal_width, petal_length, petal_width, which the graph "
                + "standardizes (positions in the metadata's nn.input.columns)" + System.lineSeparator()
                + "output: one value per class of 'species': setosa, versicolor, virginica" + System.lineSeparator(), r.out());

        Model model = ModelFile.read(file);
        assertArrayEquals(OnnxExport.encode(model), Files.readAllBytes(onnx));
        ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(onnx));
        List<String> ops = new ArrayList<>();
        for (NodeProto n : proto.getGraph().getNodeList()) {
            ops.add(n.getOpType());
        }
        assertEquals(List.of("Sub", "Div", "Gemm", "Relu", "Gemm", "Softmax"), ops);
        // The standardization is the model's own: its means and deviations, in float32, in column order.
        Preprocessing pre = model.preprocessing().orElseThrow();
        Map<String, TensorProto> initializers = new HashMap<>();
        proto.getGraph().getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        ByteBuffer mean = initializers.get("input_mean").getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer deviation = initializers.get("input_deviation").getRawData().asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
        for (ColumnEncoding c : pre.columns()) {
            ColumnEncoding.Standardized s = (ColumnEncoding.Standardized) c;
            assertEquals((float) s.mean(), mean.getFloat(), c.name());
            assertEquals((float) s.deviation(), deviation.getFloat(), c.name());
        }
        assertFalse(mean.hasRemaining());
        Map<String, String> metadata = new HashMap<>();
        for (StringStringEntryProto e : proto.getMetadataPropsList()) {
            metadata.put(e.getKey(), e.getValue());
        }
        assertEquals("sepal_length,sepal_width,petal_length,petal_width", metadata.get("nn.input.columns"));
        assertEquals("setosa,versicolor,virginica", metadata.get("classes"));
        assertEquals("species", metadata.get("nn.target"));
        assertTrue(metadata.containsKey("train.data"), metadata.toString());
    }

    @Test
    void aTableRegressionWithTextAndGapsSaysWhatToFeedAndThatItAnswersInTheTargetsUnits() throws Exception {
        StringBuilder csv = new StringBuilder("size,colour,price\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i % 7 == 0 ? "" : Integer.toString(10 + i)).append(',').append(i % 3 == 0 ? "red" : "blue")
                    .append(',').append(2 * i + (i % 3 == 0 ? 5 : 0)).append(".5\n");
        }
        Path table = Files.writeString(dir.resolve("prices.csv"), csv.toString());
        Path run = dir.resolve("prices");
        CliRunner train = CliRunner.run("train", "--data", table.toString(), "--target", "price", "--impute", "mean",
                "--epochs", "2", "--out", run.toString());
        assertEquals(0, train.exitCode(), train.err());
        Path onnx = dir.resolve("prices.onnx");
        CliRunner r = CliRunner.run("export", "--model", run.resolve(TrainCommand.MODEL).toString(), "--out", onnx.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("wrote " + onnx + ": ONNX opset 13, 3-64-1 relu, identity + half-sse, input 'features' [batch, 3], "
                + "output 'outputs' [batch, 1]", lines.get(0));
        assertEquals("input: the raw numbers of size, which the graph standardizes; 1 at the category and 0 elsewhere "
                + "in the blocks of colour (2); NaN for a missing value of size (positions in the metadata's "
                + "nn.input.columns)", lines.get(1));
        assertEquals("output: 'price' in its own units", lines.get(2));
        List<String> ops = new ArrayList<>();
        for (NodeProto n : ModelProto.parseFrom(Files.readAllBytes(onnx)).getGraph().getNodeList()) {
            ops.add(n.getOpType());
        }
        assertEquals(List.of("IsNaN", "And", "Where", "Sub", "Div", "Gemm", "Relu", "Gemm", "Mul", "Add"), ops);
    }
}
