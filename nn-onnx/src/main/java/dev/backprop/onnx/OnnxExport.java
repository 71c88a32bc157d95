package dev.backprop.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import dev.backprop.core.Activation;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.io.Model;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

/**
 * A trained network as an ONNX model. Layer l + 1 is one {@code Gemm}, z = a · Wᵀ + b, whose B is W^(l)
 * without its bias column (shape S_{l+1} × S_l, read with {@code transB = 1}, the layout of the parameters)
 * and whose C is that bias column; a network without bias units has Gemms without C. Each layer's
 * activation follows as its ONNX operator ({@code Sigmoid}, {@code Tanh}, {@code Relu}, {@code Softmax} on
 * axis 1; identity adds no node). The weights are stored in float32, as the SIMD engine and
 * {@code Predictor} use them, so ONNX Runtime computes the same products in the same precision.
 *
 * <p>The graph takes {@value #INPUT} of shape [{@value #BATCH}, S_1], its batch dimension symbolic, and gives
 * {@value #PROBABILITIES} (a softmax classifier) or {@value #OUTPUTS} of shape [{@value #BATCH}, S_L]. The
 * model's provenance (class names, the data, the settings) goes into the ONNX metadata as it is, with the
 * network's description under {@code nn.network}.
 */
public final class OnnxExport {
    /** The ONNX IR version written: 7, the one that goes with opset 13. */
    public static final long IR_VERSION = 7;
    /** The default-domain opset the graph uses. */
    public static final long OPSET = 13;
    /** The name of the graph's input. */
    public static final String INPUT = "features";
    /** The output's name when the output layer is a softmax. */
    public static final String PROBABILITIES = "probabilities";
    /** The output's name otherwise. */
    public static final String OUTPUTS = "outputs";
    /** The name of the symbolic batch dimension. */
    public static final String BATCH = "batch";

    private OnnxExport() {
    }

    /** Writes {@code model} as an ONNX file, atomically: a failed write leaves what was at {@code file}. */
    public static void write(Path file, Model model) throws IOException {
        byte[] bytes = encode(model);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** The serialized ONNX model. */
    public static byte[] encode(Model model) {
        return toProto(model).toByteArray();
    }

    /** The name of the graph's output for this network. */
    public static String outputName(Network network) {
        return network.activation(network.layers() - 1) == Activation.SOFTMAX ? PROBABILITIES : OUTPUTS;
    }

    /** The ONNX model as protobuf messages. */
    public static ModelProto toProto(Model model) {
        Network network = model.network();
        Parameters params = model.parameters();
        GraphProto.Builder graph = GraphProto.newBuilder().setName("nn");
        graph.addInput(tensorInfo(INPUT, network.inputs()));
        String a = INPUT;
        int layers = network.layers();
        for (int w = 0; w < layers - 1; w++) {
            int l = w + 1;
            boolean last = l == layers - 1;
            Activation g = network.activation(l);
            String z = last && g == Activation.IDENTITY ? outputName(network) : "z" + l;
            NodeProto.Builder gemm = NodeProto.newBuilder().setName("layer" + l).setOpType("Gemm")
                    .addInput(a).addInput("W" + w).addOutput(z)
                    .addAttribute(intAttribute("transB", 1));
            graph.addInitializer(weights("W" + w, params, w));
            if (network.bias()) {
                gemm.addInput("b" + w);
                graph.addInitializer(biases("b" + w, params, w));
            }
            graph.addNode(gemm);
            a = z;
            if (g != Activation.IDENTITY) {
                String out = last ? outputName(network) : "a" + l;
                NodeProto.Builder node = NodeProto.newBuilder().setName("activation" + l).setOpType(operator(g))
                        .addInput(z).addOutput(out);
                if (g == Activation.SOFTMAX) {
                    node.addAttribute(intAttribute("axis", 1));
                }
                graph.addNode(node);
                a = out;
            }
        }
        graph.addOutput(tensorInfo(outputName(network), network.outputs()));

        ModelProto.Builder onnx = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("nn")
                .setProducerVersion(version())
                .setDocString("A fully connected network trained by back-propagation: " + network)
                .setGraph(graph);
        onnx.addMetadataProps(entry("nn.network", network.toString()));
        for (Map.Entry<String, String> e : model.provenance().entrySet()) {
            onnx.addMetadataProps(entry(e.getKey(), e.getValue()));
        }
        return onnx.build();
    }

    private static String operator(Activation g) {
        return switch (g) {
            case SIGMOID -> "Sigmoid";
            case TANH -> "Tanh";
            case RELU -> "Relu";
            case SOFTMAX -> "Softmax";
            case IDENTITY -> throw new IllegalArgumentException("identity has no operator");
        };
    }

    /** W^(w) without its bias column, S_{w+2} × S_{w+1}, row-major in float32 (the parameters' layout). */
    private static TensorProto weights(String name, Parameters params, int w) {
        Network network = params.network();
        int lead = network.bias() ? 1 : 0;
        int rows = network.weightRows(w);
        int columns = network.weightColumns(w);
        double[] values = params.values();
        int base = network.weightOffset(w);
        ByteBuffer data = ByteBuffer.allocate(Math.multiplyExact(4, Math.multiplyExact(rows, columns - lead)))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int j = 0; j < rows; j++) {
            for (int k = lead; k < columns; k++) {
                data.putFloat((float) values[base + j * columns + k]);
            }
        }
        return floatTensor(name, data, rows, columns - lead);
    }

    /** The bias column of W^(w), S_{w+2} values. */
    private static TensorProto biases(String name, Parameters params, int w) {
        Network network = params.network();
        int rows = network.weightRows(w);
        int columns = network.weightColumns(w);
        double[] values = params.values();
        int base = network.weightOffset(w);
        ByteBuffer data = ByteBuffer.allocate(4 * rows).order(ByteOrder.LITTLE_ENDIAN);
        for (int j = 0; j < rows; j++) {
            data.putFloat((float) values[base + j * columns]);
        }
        return floatTensor(name, data, rows);
    }

    private static TensorProto floatTensor(String name, ByteBuffer littleEndian, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        return t.setRawData(ByteString.copyFrom(littleEndian.array())).build();
    }

    private static ValueInfoProto tensorInfo(String name, int width) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                .build();
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static String version() {
        String v = OnnxExport.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }
}
