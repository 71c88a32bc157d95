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
import dev.backprop.core.tabular.ColumnEncoding;
import dev.backprop.core.tabular.Preprocessing;
import dev.backprop.core.tabular.TargetEncoding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * network's description under {@value #NETWORK_KEY}.
 *
 * <p>A model trained on a table ({@link Model#preprocessing()}) is exported with its preprocessing, so that
 * the ONNX file answers in the table's terms, as {@code Predictor.predict(Map)} does:
 * <ul>
 * <li>{@value #INPUT} keeps the network's S_1 positions, one per numeric column and one per category of a
 *     text column, in the order of {@link Preprocessing#inputColumns()}; metadata {@value #COLUMNS_KEY} names
 *     them. A numeric position takes the column's raw value; a text column's block takes 1 at its category and
 *     0 elsewhere, all zeros for a category training never saw (and for a missing value, when the column
 *     imputes). Where a numeric column imputes missing values (metadata {@value #MISSING_KEY}), NaN stands for
 *     a missing value and becomes the training mean ({@code IsNaN}, then {@code Where}, restricted by
 *     {@code And} to those positions when others do not impute). Unlike {@code Predictor}, the graph does not
 *     refuse a NaN elsewhere: it gives NaN outputs.
 * <li>The graph begins with the standardization, {@code Sub} of the training means and {@code Div} by the
 *     deviations (0 and 1 at the one-hot positions), in float32.
 * <li>A regression's output is turned back into the target's units, {@code Mul} by its deviation and
 *     {@code Add} of its mean, still named {@value #OUTPUTS}; the target's name is in {@value #TARGET_KEY},
 *     and a classifier's classes, in output order, in {@value #CLASSES_KEY}.
 * </ul>
 * In the lists of names a {@code ,}, {@code =} or {@code \} inside a name or a category is preceded by
 * {@code \}. The {@code nn.} keys and, for a table classifier, {@value #CLASSES_KEY} are the export's own: a
 * provenance entry of the same key is left out. A model without preprocessing (images) has none of the
 * nodes and keys of this paragraph.
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
    /** The metadata key of the network's description. */
    public static final String NETWORK_KEY = "nn.network";
    /** The metadata key of the input positions of a model trained on a table: {@code name} or {@code name=category}, comma-separated. */
    public static final String COLUMNS_KEY = "nn.input.columns";
    /** The metadata key of the numeric columns whose NaN stands for a missing value, comma-separated (empty if none). */
    public static final String MISSING_KEY = "nn.input.missing";
    /** The metadata key of the target column's name, for a model trained on a table. */
    public static final String TARGET_KEY = "nn.target";
    /** The metadata key of a table classifier's classes, comma-separated in output order. */
    public static final String CLASSES_KEY = "classes";

    /** The standardized input the first Gemm reads, in a model with preprocessing. */
    private static final String STANDARDIZED_INPUT = "standardized_features";
    /** The network's own output (the standardized target) of a regression, before it is scaled back. */
    private static final String STANDARDIZED_OUTPUT = "standardized_outputs";

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

    /** The name of the graph's output for this network, without preprocessing. */
    public static String outputName(Network network) {
        return network.activation(network.layers() - 1) == Activation.SOFTMAX ? PROBABILITIES : OUTPUTS;
    }

    /** The name of the graph's output for this model: {@value #OUTPUTS} for a regression on a table, whatever its output layer. */
    public static String outputName(Model model) {
        return scaledTarget(model) != null ? OUTPUTS : outputName(model.network());
    }

    private static TargetEncoding.Scaled scaledTarget(Model model) {
        return model.preprocessing().map(Preprocessing::target).orElse(null) instanceof TargetEncoding.Scaled s ? s : null;
    }

    /** The ONNX model as protobuf messages. */
    public static ModelProto toProto(Model model) {
        Network network = model.network();
        Parameters params = model.parameters();
        GraphProto.Builder graph = GraphProto.newBuilder().setName("nn");
        graph.addInput(tensorInfo(INPUT, network.inputs()));
        Preprocessing pre = model.preprocessing().orElse(null);
        TargetEncoding.Scaled scaled = scaledTarget(model);
        String a = pre == null ? INPUT : standardize(graph, pre);
        String networkOutput = scaled == null ? outputName(network) : STANDARDIZED_OUTPUT;
        int layers = network.layers();
        for (int w = 0; w < layers - 1; w++) {
            int l = w + 1;
            boolean last = l == layers - 1;
            Activation g = network.activation(l);
            String z = last && g == Activation.IDENTITY ? networkOutput : "z" + l;
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
                String out = last ? networkOutput : "a" + l;
                NodeProto.Builder node = NodeProto.newBuilder().setName("activation" + l).setOpType(operator(g))
                        .addInput(z).addOutput(out);
                if (g == Activation.SOFTMAX) {
                    node.addAttribute(intAttribute("axis", 1));
                }
                graph.addNode(node);
                a = out;
            }
        }
        if (scaled != null) {
            graph.addNode(node("Mul", "target_scale", List.of(STANDARDIZED_OUTPUT, "target_deviation"), "target_scaled"));
            graph.addNode(node("Add", "target_shift", List.of("target_scaled", "target_mean"), OUTPUTS));
            graph.addInitializer(floats("target_deviation", new float[] {(float) scaled.deviation()}));
            graph.addInitializer(floats("target_mean", new float[] {(float) scaled.mean()}));
        }
        graph.addOutput(tensorInfo(outputName(model), network.outputs()));

        ModelProto.Builder onnx = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("nn")
                .setProducerVersion(version())
                .setDocString("A fully connected network trained by back-propagation: " + network + (pre == null ? ""
                        : "; it takes the raw values of the table's columns, as " + COLUMNS_KEY + " lists them"))
                .setGraph(graph);
        Map<String, String> own = ownMetadata(network, pre);
        own.forEach((key, value) -> onnx.addMetadataProps(entry(key, value)));
        for (Map.Entry<String, String> e : model.provenance().entrySet()) {
            if (!own.containsKey(e.getKey())) {
                onnx.addMetadataProps(entry(e.getKey(), e.getValue()));
            }
        }
        return onnx.build();
    }

    /** The metadata the export writes itself, before the provenance: the network, and what a table model takes and gives. */
    private static Map<String, String> ownMetadata(Network network, Preprocessing pre) {
        Map<String, String> own = new LinkedHashMap<>();
        own.put(NETWORK_KEY, network.toString());
        if (pre != null) {
            own.put(COLUMNS_KEY, String.join(",", inputPositions(pre)));
            List<String> missing = new ArrayList<>();
            for (ColumnEncoding c : pre.columns()) {
                if (c instanceof ColumnEncoding.Standardized s && s.imputed()) {
                    missing.add(s.name());
                }
            }
            own.put(MISSING_KEY, names(missing));
            own.put(TARGET_KEY, pre.target().name());
            if (pre.target() instanceof TargetEncoding.Classes k) {
                own.put(CLASSES_KEY, names(k.classes()));
            }
        }
        return own;
    }

    /**
     * The nodes that turn the raw {@value #INPUT} into the network's input: NaN to the mean where a column
     * imputes, then (x − mean) / deviation per position. Gives the name of the standardized value.
     */
    private static String standardize(GraphProto.Builder graph, Preprocessing pre) {
        int width = pre.inputSize();
        float[] mean = new float[width];
        float[] deviation = new float[width];
        boolean[] imputed = new boolean[width];
        int at = 0;
        boolean anyImputed = false;
        boolean allImputed = true;
        for (ColumnEncoding c : pre.columns()) {
            if (c instanceof ColumnEncoding.Standardized s) {
                mean[at] = (float) s.mean();
                deviation[at] = (float) s.deviation();
                imputed[at] = s.imputed();
                anyImputed |= s.imputed();
                allImputed &= s.imputed();
            } else {
                for (int k = at; k < at + c.width(); k++) {
                    deviation[k] = 1f;
                    allImputed = false;
                }
            }
            at += c.width();
        }
        String x = INPUT;
        if (anyImputed) {
            graph.addNode(node("IsNaN", "missing", List.of(INPUT), "missing"));
            String replace = "missing";
            if (!allImputed) {
                // Only the columns fitted with imputation take NaN as missing; the mask keeps the others as given.
                graph.addNode(node("And", "imputed", List.of("missing", "impute_mask"), "imputed"));
                graph.addInitializer(bools("impute_mask", imputed));
                replace = "imputed";
            }
            graph.addNode(node("Where", "impute", List.of(replace, "input_mean", INPUT), "imputed_features"));
            x = "imputed_features";
        }
        graph.addNode(node("Sub", "center", List.of(x, "input_mean"), "centered_features"));
        graph.addNode(node("Div", "scale", List.of("centered_features", "input_deviation"), STANDARDIZED_INPUT));
        graph.addInitializer(floats("input_mean", mean));
        graph.addInitializer(floats("input_deviation", deviation));
        return STANDARDIZED_INPUT;
    }

    /** What each input position holds, escaped: a numeric column's name, or {@code column=category} in a one-hot block. */
    private static List<String> inputPositions(Preprocessing pre) {
        List<String> positions = new ArrayList<>();
        for (ColumnEncoding c : pre.columns()) {
            if (c instanceof ColumnEncoding.Standardized) {
                positions.add(escape(c.name()));
            } else if (c instanceof ColumnEncoding.OneHot h) {
                for (String category : h.categories()) {
                    positions.add(escape(h.name()) + "=" + escape(category));
                }
            }
        }
        return positions;
    }

    /** Names joined by commas, each escaped, so that a reader can split them again. */
    private static String names(List<String> names) {
        return String.join(",", names.stream().map(OnnxExport::escape).toList());
    }

    private static String escape(String name) {
        return name.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
    }

    private static NodeProto node(String op, String name, List<String> inputs, String output) {
        return NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(inputs).addOutput(output).build();
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

    private static TensorProto floats(String name, float[] values) {
        ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            data.putFloat(v);
        }
        return floatTensor(name, data, values.length);
    }

    private static TensorProto bools(String name, boolean[] values) {
        byte[] data = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = (byte) (values[i] ? 1 : 0);
        }
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.BOOL.getNumber())
                .addDims(values.length).setRawData(ByteString.copyFrom(data)).build();
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
