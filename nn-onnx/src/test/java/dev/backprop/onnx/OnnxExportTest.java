package dev.backprop.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.backprop.core.Activation;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.io.Model;
import dev.backprop.core.testing.RandomProblems;
import dev.backprop.predict.Predictor;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported graphs run in ONNX Runtime and give what {@link Predictor} gives. */
class OnnxExportTest {
    private static final double TOLERANCE = 1e-5;
    private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();

    /** ONNX Runtime's outputs of {@code rows} examples of {@code x} through the exported {@code model}. */
    static float[] runtime(byte[] model, float[] x, int rows, int inputs) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = ORT.createSession(model, options);
                OnnxTensor input = OnnxTensor.createTensor(ORT, FloatBuffer.wrap(x), new long[] {rows, inputs});
                OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            float[][] out = (float[][]) result.get(0).getValue();
            float[] flat = new float[rows * out[0].length];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(out[i], 0, flat, i * out[i].length, out[i].length);
            }
            return flat;
        }
    }

    private static float[] inputs(DataSet data) {
        float[] x = new float[data.size() * data.inputSize()];
        data.readInputs(0, data.size(), x, 0);
        return x;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": lengths");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE, what + ": value " + i);
        }
    }

    @Test
    void everyActivationCostAndBiasSettingRunsInOnnxRuntimeAsInThePredictor() throws OrtException {
        List<Activation> hidden = List.of(Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.IDENTITY);
        List<Activation> output = List.of(Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.IDENTITY,
                Activation.SOFTMAX);
        int checked = 0;
        long seed = 1;
        for (Activation h : hidden) {
            for (Activation o : output) {
                for (boolean bias : new boolean[] {true, false}) {
                    seed++;
                    Network network = RandomProblems.network(new int[] {23, 19, 11, 6}, h, o, bias);
                    Parameters p = RandomProblems.parameters(network, 0.6, seed);
                    int rows = 9;
                    float[] x = inputs(RandomProblems.data(network, rows, seed, false));
                    float[] expected = Predictor.of(p).predict(x, rows);
                    float[] actual = runtime(OnnxExport.encode(new Model(p, Map.of())), x, rows, 23);
                    assertClose(expected, actual, network.toString());
                    checked++;
                }
            }
        }
        assertEquals(40, checked);
    }

    @Test
    void theHeadlineNetworkRunsInOnnxRuntimeAsInThePredictor() throws OrtException {
        Network network = RandomProblems.network(new int[] {784, 256, 128, 10}, Activation.RELU, Activation.SOFTMAX, true);
        Parameters p = Parameters.initialize(network, dev.backprop.core.Initializer.he(), 3);
        int rows = 5;
        float[] x = inputs(RandomProblems.data(network, rows, 4, false));
        float[] expected = Predictor.of(p).predict(x, rows);
        assertClose(expected, runtime(OnnxExport.encode(new Model(p, Map.of())), x, rows, 784), "784-256-128-10");
    }

    @Test
    void theGraphIsOpset13WithOneGemmPerLayerAndASymbolicBatch() throws OrtException {
        Network network = RandomProblems.network(new int[] {4, 3, 3}, Activation.TANH, Activation.SOFTMAX, true);
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("classes", "cat,dog,bird");
        provenance.put("train.seed", "9");
        Model model = new Model(RandomProblems.parameters(network, 0.5, 2), provenance);
        ModelProto proto = OnnxExport.toProto(model);
        assertEquals(7, proto.getIrVersion());
        assertEquals(1, proto.getOpsetImportCount());
        assertEquals("", proto.getOpsetImport(0).getDomain());
        assertEquals(13, proto.getOpsetImport(0).getVersion());
        List<String> ops = new ArrayList<>();
        for (NodeProto n : proto.getGraph().getNodeList()) {
            ops.add(n.getOpType() + n.getInputList());
        }
        assertEquals(List.of("Gemm[features, W0, b0]", "Tanh[z1]", "Gemm[a1, W1, b1]", "Softmax[z2]"), ops);
        assertEquals("transB", proto.getGraph().getNode(0).getAttribute(0).getName());
        assertEquals(1, proto.getGraph().getNode(0).getAttribute(0).getI());
        assertEquals(List.of(3L, 4L), proto.getGraph().getInitializer(0).getDimsList());

        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = ORT.createSession(proto.toByteArray(), options)) {
            NodeInfo in = session.getInputInfo().get("features");
            NodeInfo out = session.getOutputInfo().get("probabilities");
            assertArrayEquals(new long[] {-1, 4}, ((TensorInfo) in.getInfo()).getShape(), "a symbolic batch");
            assertArrayEquals(new long[] {-1, 3}, ((TensorInfo) out.getInfo()).getShape());
            Map<String, String> metadata = session.getMetadata().getCustomMetadata();
            assertEquals("cat,dog,bird", metadata.get("classes"));
            assertEquals("9", metadata.get("train.seed"));
            assertEquals(network.toString(), metadata.get("nn.network"));
            assertEquals("nn", session.getMetadata().getProducerName());
        }
    }

    @Test
    void aNetworkWithoutBiasUnitsHasGemmsWithoutC() {
        Network network = RandomProblems.network(new int[] {5, 4, 2}, Activation.RELU, Activation.IDENTITY, false);
        ModelProto proto = OnnxExport.toProto(new Model(RandomProblems.parameters(network, 0.5, 2), Map.of()));
        List<String> ops = new ArrayList<>();
        for (NodeProto n : proto.getGraph().getNodeList()) {
            ops.add(n.getOpType() + n.getInputList() + n.getOutputList());
        }
        assertEquals(List.of("Gemm[features, W0][z1]", "Relu[z1][a1]", "Gemm[a1, W1][outputs]"), ops);
        assertEquals(2, proto.getGraph().getInitializerCount());
    }

    @Test
    void theFileIsWrittenWholeAndReadsBackAsTheSameModel(@TempDir Path dir) throws Exception {
        Network network = RandomProblems.network(new int[] {3, 2}, Activation.SIGMOID, Activation.SIGMOID, true);
        Model model = new Model(RandomProblems.parameters(network, 0.5, 2), Map.of());
        Path file = dir.resolve("m.onnx");
        OnnxExport.write(file, model);
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(OnnxExport.encode(model), bytes);
        assertEquals(OnnxExport.toProto(model), ModelProto.parseFrom(bytes));
        assertTrue(bytes.length > 4 * network.parameterCount());
    }
}
