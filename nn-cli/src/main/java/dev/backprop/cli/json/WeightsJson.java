package dev.backprop.cli.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.backprop.core.Activation;
import dev.backprop.core.Cost;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.data.FileFormatException;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Weights as JSON, in the layout of docs/MATH.md, for interchange and inspection:
 *
 * <pre>
 * {"layers": [3, 3, 1], "activation": "sigmoid", "bias": true, "cost": "half-sse",
 *  "weights": [ [[w10, w11, w12, w13], ...], ... ]}
 * </pre>
 *
 * {@code weights[l][j][k]} is w_jk^(l+1); with the bias on, k = 0 is the bias column. {@code activation}
 * is one name for every non-input layer or a list of one per non-input layer; {@code bias} defaults to
 * true and {@code cost} to half-sse. Numbers are written so that they read back as the same double.
 */
public final class WeightsJson {
    private static final Set<String> FIELDS = Set.of("layers", "activation", "bias", "cost", "weights");

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // The shortest text that reads back as the same double, identical on JDK 17 and 25.
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private WeightsJson() {
    }

    /** Reads a weights file; every problem is a {@link FileFormatException} naming the field. */
    public static Parameters read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "weights file not found");
        }
        JsonNode root;
        try (JsonParser parser = MAPPER.createParser(file.toFile())) {
            root = MAPPER.readTree(parser);
        } catch (JsonProcessingException e) {
            throw invalid(file, e);
        } catch (CharConversionException e) {
            // Jackson detects UTF-8, UTF-16 and UTF-32 from the first bytes; this is text in none of them.
            throw new FileFormatException(file, "", "is not text in UTF-8, UTF-16 or UTF-32: " + e.getMessage());
        }
        return parse(file, root);
    }

    /** Reads weights from JSON text; {@code source} is named in messages. */
    public static Parameters parse(Path source, String json) throws FileFormatException {
        try {
            return parse(source, MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw invalid(source, e);
        }
    }

    private static FileFormatException invalid(Path file, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return new FileFormatException(file, at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr(),
                "invalid JSON: " + e.getOriginalMessage());
    }

    private static Parameters parse(Path file, JsonNode root) throws FileFormatException {
        if (root == null || !root.isObject()) {
            throw new FileFormatException(file, "", "the top level must be a JSON object with \"layers\" and \"weights\"");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new FileFormatException(file, "\"" + name + "\"",
                        "unknown field; the fields are layers, activation, bias, cost and weights");
            }
        }
        JsonNode layersNode = required(file, root, "layers");
        if (!layersNode.isArray()) {
            throw new FileFormatException(file, "layers", "must be an array of layer sizes, input first");
        }
        int[] units = new int[layersNode.size()];
        for (int l = 0; l < units.length; l++) {
            JsonNode n = layersNode.get(l);
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw new FileFormatException(file, "layers[" + l + "]", n + " is not a whole number of units");
            }
            units[l] = n.intValue();
        }
        Network network = network(file, root, units);

        JsonNode weights = required(file, root, "weights");
        if (!weights.isArray() || weights.size() != network.weightMatrices()) {
            throw new FileFormatException(file, "weights", "must be an array of " + network.weightMatrices()
                    + " matrices for the layers " + java.util.Arrays.toString(units) + ", found "
                    + (weights.isArray() ? weights.size() + " matrices" : "a " + weights.getNodeType().toString().toLowerCase()));
        }
        checkShape(file, network, weights);
        // Only now, with every row present in the parsed text, is the size the layers imply safe to allocate.
        double[] values = new double[network.parameterCount()];
        for (int w = 0; w < network.weightMatrices(); w++) {
            JsonNode matrix = weights.get(w);
            int columns = network.weightColumns(w);
            for (int j = 0; j < network.weightRows(w); j++) {
                JsonNode row = matrix.get(j);
                for (int k = 0; k < columns; k++) {
                    JsonNode v = row.get(k);
                    String where = "weights[" + w + "][" + j + "][" + k + "]";
                    if (!v.isNumber()) {
                        throw new FileFormatException(file, where, v + " is not a number");
                    }
                    double value = v.doubleValue();
                    if (!Double.isFinite(value)) {
                        throw new FileFormatException(file, where, "the number is too large for a double");
                    }
                    values[network.weightOffset(w) + j * columns + k] = value;
                }
            }
        }
        return Parameters.of(network, values);
    }

    /** Every matrix has one row per unit and every row its columns, or the message says where not. */
    private static void checkShape(Path file, Network network, JsonNode weights) throws FileFormatException {
        for (int w = 0; w < network.weightMatrices(); w++) {
            JsonNode matrix = weights.get(w);
            int rows = network.weightRows(w);
            int columns = network.weightColumns(w);
            if (!matrix.isArray() || matrix.size() != rows) {
                throw new FileFormatException(file, "weights[" + w + "]", "must have " + rows + " rows, one per unit of layer "
                        + (w + 1) + ", found " + (matrix.isArray() ? matrix.size() : "a " + matrix.getNodeType().toString().toLowerCase()));
            }
            for (int j = 0; j < rows; j++) {
                JsonNode row = matrix.get(j);
                if (!row.isArray() || row.size() != columns) {
                    throw new FileFormatException(file, "weights[" + w + "][" + j + "]", "must have " + columns + " values ("
                            + (network.bias() ? "the bias weight, then " : "") + network.units(w) + " inputs), found "
                            + (row.isArray() ? row.size() : "a " + row.getNodeType().toString().toLowerCase()));
                }
            }
        }
    }

    private static Network network(Path file, JsonNode root, int[] units) throws FileFormatException {
        Network.Builder builder = Network.builder(units);
        try {
            JsonNode activation = root.get("activation");
            if (activation != null) {
                if (activation.isTextual()) {
                    builder.activation(Activation.parse(activation.textValue()));
                } else if (activation.isArray()) {
                    List<Activation> list = new ArrayList<>();
                    for (JsonNode a : activation) {
                        if (!a.isTextual()) {
                            throw new FileFormatException(file, "activation", a + " is not an activation name");
                        }
                        list.add(Activation.parse(a.textValue()));
                    }
                    builder.activations(list);
                } else {
                    throw new FileFormatException(file, "activation", "must be a name or a list of names, one per non-input layer");
                }
            }
            JsonNode bias = root.get("bias");
            if (bias != null) {
                if (!bias.isBoolean()) {
                    throw new FileFormatException(file, "bias", "must be true or false, found " + bias);
                }
                builder.bias(bias.booleanValue());
            }
            JsonNode cost = root.get("cost");
            if (cost != null) {
                if (!cost.isTextual()) {
                    throw new FileFormatException(file, "cost", "must be a name, found " + cost);
                }
                builder.cost(Cost.parse(cost.textValue()));
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file, "", e.getMessage());
        }
    }

    private static JsonNode required(Path file, JsonNode root, String field) throws FileFormatException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new FileFormatException(file, "", "the field \"" + field + "\" is missing");
        }
        return node;
    }

    /** The weights of {@code params} as JSON text in this format. */
    public static String toJson(Parameters params) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = generator(out)) {
            Network network = params.network();
            g.writeStartObject();
            g.writeFieldName("layers");
            g.writeArray(network.unitsPerLayer(), 0, network.layers());
            List<Activation> activations = network.activations();
            if (activations.stream().distinct().count() == 1) {
                g.writeStringField("activation", activations.get(0).id());
            } else {
                g.writeArrayFieldStart("activation");
                for (Activation a : activations) {
                    g.writeString(a.id());
                }
                g.writeEndArray();
            }
            g.writeBooleanField("bias", network.bias());
            g.writeStringField("cost", network.cost().id());
            g.writeFieldName("weights");
            writeMatrices(g, network, params.values());
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing to a string failed", e);
        }
        return out.toString();
    }

    /** Writes {@code params} to {@code file} atomically. */
    public static void write(Path file, Parameters params) throws IOException {
        byte[] bytes = (toJson(params) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, (OutputStream out) -> out.write(bytes));
    }

    /**
     * {@code {"loss": J, "gradients": [...]}} with the gradients D in the same nested layout as the weights.
     */
    public static String gradientJson(Network network, double loss, double[] gradient) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = generator(out)) {
            g.writeStartObject();
            g.writeNumberField("loss", loss);
            g.writeFieldName("gradients");
            writeMatrices(g, network, gradient);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing to a string failed", e);
        }
        return out.toString();
    }

    private static void writeMatrices(JsonGenerator g, Network network, double[] flat) throws IOException {
        g.writeStartArray();
        for (int w = 0; w < network.weightMatrices(); w++) {
            g.writeStartArray();
            int columns = network.weightColumns(w);
            for (int j = 0; j < network.weightRows(w); j++) {
                g.writeArray(flat, network.weightOffset(w) + j * columns, columns);
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    /** Objects, the list of matrices and each matrix on their own lines; each matrix row on one line. */
    private static JsonGenerator generator(Writer out) throws IOException {
        DefaultIndenter lines = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(lines)
                .withArrayIndenter(new MatrixIndenter(lines)).withSpacesInObjectEntries();
        JsonGenerator g = MAPPER.getFactory().createGenerator(out);
        g.setPrettyPrinter(printer);
        return g;
    }

    /**
     * Breaks lines between the matrices of "weights" or "gradients" and between the rows of a matrix, and
     * keeps every array of numbers (a row, the layer sizes) on one line.
     */
    private static final class MatrixIndenter implements DefaultPrettyPrinter.Indenter {
        private final DefaultIndenter lines;

        MatrixIndenter(DefaultIndenter lines) {
            this.lines = lines;
        }

        @Override
        public void writeIndentation(JsonGenerator g, int level) throws IOException {
            JsonStreamContext array = g.getOutputContext();
            JsonStreamContext parent = array.getParent();
            boolean matrices = parent != null && parent.inObject()
                    && ("weights".equals(parent.getCurrentName()) || "gradients".equals(parent.getCurrentName()));
            boolean rows = parent != null && parent.inArray() && parent.getParent() != null && parent.getParent().inObject();
            if (matrices || rows) {
                lines.writeIndentation(g, level);
            } else {
                g.writeRaw(' ');
            }
        }

        @Override
        public boolean isInline() {
            return false;
        }
    }
}
