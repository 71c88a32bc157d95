package dev.backprop.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.backprop.core.Activation;
import dev.backprop.core.Network;
import dev.backprop.core.data.Table;
import dev.backprop.core.data.TableFile;
import dev.backprop.core.io.Model;
import dev.backprop.core.tabular.ColumnEncoding;
import dev.backprop.core.tabular.Preprocessing;
import dev.backprop.core.tabular.Task;
import dev.backprop.core.tabular.TargetEncoding;
import dev.backprop.core.testing.RandomProblems;
import dev.backprop.predict.Predictor;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A model trained on a table, exported with its preprocessing: ONNX Runtime, fed the raw layout (numbers as
 * they are, one-hot blocks as 0/1, NaN for a missing number), gives what {@link Predictor} gives for the same
 * rows as named values.
 */
class OnnxTableExportTest {
    private static final double TOLERANCE = 1e-5;
    private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();
    private static final Path EXAMPLES = Path.of("..", "data", "examples");

    /** Each row of {@code table} as named values, a missing cell as {@code null}, the way a CSV row holds them. */
    private static List<Map<String, String>> rows(Table table) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (int r = 0; r < table.size(); r++) {
            Map<String, String> row = new HashMap<>();
            for (int c = 0; c < table.columns().size(); c++) {
                row.put(table.columns().get(c), table.cell(r, c));
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * The layout the exported graph takes, as a user of the ONNX file builds it from the documentation: per
     * input column, the raw number (NaN when missing) or 1 at the category's place in its block.
     */
    private static float[] raw(Preprocessing pre, List<Map<String, String>> rows) {
        float[] x = new float[rows.size() * pre.inputSize()];
        int at = 0;
        for (Map<String, String> row : rows) {
            for (ColumnEncoding c : pre.columns()) {
                String cell = row.get(c.name());
                if (c instanceof ColumnEncoding.Standardized) {
                    x[at] = cell == null ? Float.NaN : Float.parseFloat(cell);
                } else if (c instanceof ColumnEncoding.OneHot h && cell != null && h.categories().contains(cell)) {
                    x[at + h.categories().indexOf(cell)] = 1f;
                }
                at += c.width();
            }
        }
        return x;
    }

    /** What the predictor answers for each row, row after row: a classifier's probabilities or a regression's value. */
    private static double[] predicted(Predictor predictor, List<Map<String, String>> rows) {
        int outputs = predictor.outputs();
        double[] expected = new double[rows.size() * outputs];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(predictor.predict(rows.get(i)), 0, expected, i * outputs, outputs);
        }
        return expected;
    }

    /**
     * Within 1e-5 of the predictor; for a regression, 1e-5 of the target's scale, |mean| + deviation, since
     * float32 holds a value of that size to a few units of 1e-7 of it, even one that comes out near 0.
     */
    private static void assertClose(double[] expected, float[] actual, Preprocessing pre, String what) {
        double scale = pre.target() instanceof TargetEncoding.Scaled s ? Math.max(1, Math.abs(s.mean()) + s.deviation()) : 1;
        assertEquals(expected.length, actual.length, what + ": lengths");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE * scale, what + ": value " + i);
        }
    }

    /** Exports the model, runs every row of {@code table} through ONNX Runtime and compares with the predictor. */
    private static ModelProto exportsAsThePredictorPredicts(Model model, Table table, String what) throws OrtException {
        Preprocessing pre = model.preprocessing().orElseThrow();
        List<Map<String, String>> rows = rows(table);
        ModelProto proto = OnnxExport.toProto(model);
        float[] actual = OnnxExportTest.runtime(proto.toByteArray(), raw(pre, rows), rows.size(), pre.inputSize());
        assertClose(predicted(Predictor.of(model), rows), actual, pre, what);
        return proto;
    }

    private static List<String> operators(ModelProto proto) {
        List<String> ops = new ArrayList<>();
        for (NodeProto n : proto.getGraph().getNodeList()) {
            ops.add(n.getOpType());
        }
        return ops;
    }

    private static Map<String, String> metadata(ModelProto proto) {
        Map<String, String> m = new LinkedHashMap<>();
        for (StringStringEntryProto e : proto.getMetadataPropsList()) {
            assertEquals(null, m.put(e.getKey(), e.getValue()), "key " + e.getKey() + " twice");
        }
        return m;
    }

    private static Model model(Preprocessing pre, Network network, long seed, Map<String, String> provenance) {
        return new Model(RandomProblems.parameters(network, 0.8, seed), provenance, pre);
    }

    @Test
    void irisTakesItsFourMeasurementsAsTheyAreAndGivesThePredictorsProbabilities() throws IOException, OrtException {
        Table iris = TableFile.read(EXAMPLES.resolve("iris.csv"));
        Preprocessing pre = Preprocessing.fit(iris, "species", Task.CLASSIFICATION, false);
        Network network = RandomProblems.network(new int[] {4, 16, 3}, Activation.RELU, Activation.SOFTMAX, true);
        ModelProto proto = exportsAsThePredictorPredicts(model(pre, network, 3, Map.of()), iris, "iris");

        assertEquals(List.of("Sub", "Div", "Gemm", "Relu", "Gemm", "Softmax"), operators(proto));
        assertEquals(List.of("features", "input_mean"), proto.getGraph().getNode(0).getInputList());
        assertEquals(List.of("standardized_features", "W0", "b0"), proto.getGraph().getNode(2).getInputList());
        assertEquals("probabilities", proto.getGraph().getOutput(0).getName());
        Map<String, String> m = metadata(proto);
        assertEquals("sepal_length,sepal_width,petal_length,petal_width", m.get(OnnxExport.COLUMNS_KEY));
        assertEquals("", m.get(OnnxExport.MISSING_KEY));
        assertEquals("species", m.get(OnnxExport.TARGET_KEY));
        assertEquals("setosa,versicolor,virginica", m.get(OnnxExport.CLASSES_KEY));
    }

    @Test
    void diabetesWithMissingNumbersGivesTheProgressionInItsOwnUnits() throws IOException, OrtException {
        Table full = TableFile.read(EXAMPLES.resolve("diabetes.csv"));
        // Blank out about one cell in twenty of the inputs, so that the fitted means skip them and rows impute them.
        Random random = new Random(7);
        List<String[]> cells = new ArrayList<>();
        for (int r = 0; r < full.size(); r++) {
            String[] row = new String[full.columns().size()];
            for (int c = 0; c < row.length; c++) {
                boolean input = !full.columns().get(c).equals("progression");
                row[c] = input && random.nextInt(20) == 0 ? null : full.cell(r, c);
            }
            cells.add(row);
        }
        Table diabetes = Table.of(full.columns(), cells);
        Preprocessing pre = Preprocessing.fit(diabetes, "progression", Task.REGRESSION, true);
        assertEquals(10, pre.inputSize());
        Network network = RandomProblems.network(new int[] {10, 12, 1}, Activation.TANH, Activation.IDENTITY, true);
        Model model = model(pre, network, 5, Map.of());
        ModelProto proto = exportsAsThePredictorPredicts(model, diabetes, "diabetes");

        // Every input is a number that imputes, so no mask is needed.
        assertEquals(List.of("IsNaN", "Where", "Sub", "Div", "Gemm", "Tanh", "Gemm", "Mul", "Add"), operators(proto));
        assertEquals("outputs", proto.getGraph().getOutput(0).getName());
        assertEquals("outputs", OnnxExport.outputName(model));
        Map<String, String> m = metadata(proto);
        assertEquals("age,sex,bmi,bp,s1,s2,s3,s4,s5,s6", m.get(OnnxExport.COLUMNS_KEY));
        assertEquals("age,sex,bmi,bp,s1,s2,s3,s4,s5,s6", m.get(OnnxExport.MISSING_KEY));
        assertEquals("progression", m.get(OnnxExport.TARGET_KEY));
        assertFalse(m.containsKey(OnnxExport.CLASSES_KEY));

        // The values really are in the target's units: the mean's own row of standardized zeros gives the
        // network's output at 0 scaled back, the training mean plus deviation times that output.
        TargetEncoding.Scaled target = (TargetEncoding.Scaled) pre.target();
        float[] missing = new float[10];
        Arrays.fill(missing, Float.NaN);
        float z = Predictor.of(model.parameters()).predict(new float[10])[0];
        float[] y = OnnxExportTest.runtime(proto.toByteArray(), missing, 1, 10);
        assertEquals(target.mean() + target.deviation() * z, y[0], TOLERANCE * (Math.abs(target.mean()) + target.deviation()));
    }

    /** A size and a weight with gaps, a colour of text (one with a comma in it), a constant unit, and a class. */
    private static Table shapes() {
        Random random = new Random(11);
        String[] colours = {"red", "blue", "green, dark", "a=b"};
        String[] classes = {"small", "large", "odd, really"};
        List<String[]> rows = new ArrayList<>();
        for (int r = 0; r < 60; r++) {
            String size = random.nextInt(6) == 0 ? null : String.format(Locale.ROOT, "%.3f", 40 + 30 * random.nextGaussian());
            String weight = random.nextInt(5) == 0 ? null : String.format(Locale.ROOT, "%.2f", 1000 + 250 * random.nextGaussian());
            String colour = random.nextInt(8) == 0 ? null : colours[random.nextInt(colours.length)];
            rows.add(new String[] {size, colour, "cm", weight, classes[r % 3]});
        }
        return Table.of(List.of("size", "colour", "unit", "weight", "label"), rows);
    }

    @Test
    void aTableWithTextAndImputedNumbersMasksTheNumbersAndEncodesTheCategoriesAsOneHot() throws OrtException, IOException {
        Table shapes = shapes();
        Preprocessing pre = Preprocessing.fit(shapes, "label", Task.CLASSIFICATION, true);
        assertTrue(pre.columns().get(2) instanceof ColumnEncoding.Dropped, pre.toString());
        assertEquals(6, pre.inputSize());
        Network network = RandomProblems.network(new int[] {6, 9, 3}, Activation.SIGMOID, Activation.SOFTMAX, true);
        // A "classes" of the provenance that disagrees is left out: the preprocessing orders the outputs.
        Model model = model(pre, network, 8, Map.of("classes", "x,y,z", "train.seed", "4"));

        // The rows of training, and new ones: a colour never seen, a missing colour, every number missing.
        List<String[]> more = new ArrayList<>();
        more.add(new String[] {"12.5", "purple", "cm", "900", "small"});
        more.add(new String[] {null, null, "cm", null, "large"});
        more.add(new String[] {"-3", "a=b", "kg", "1000.5", "large"});
        List<String[]> all = new ArrayList<>();
        for (Map<String, String> row : rows(shapes)) {
            all.add(new String[] {row.get("size"), row.get("colour"), row.get("unit"), row.get("weight"), row.get("label")});
        }
        all.addAll(more);
        ModelProto proto = exportsAsThePredictorPredicts(model, Table.of(shapes.columns(), all), "shapes");

        assertEquals(List.of("IsNaN", "And", "Where", "Sub", "Div", "Gemm", "Sigmoid", "Gemm", "Softmax"), operators(proto));
        Map<String, String> m = metadata(proto);
        assertEquals("size,colour=a\\=b,colour=blue,colour=green\\, dark,colour=red,weight", m.get(OnnxExport.COLUMNS_KEY));
        assertEquals("size,weight", m.get(OnnxExport.MISSING_KEY));
        assertEquals("label", m.get(OnnxExport.TARGET_KEY));
        assertEquals("large,odd\\, really,small", m.get(OnnxExport.CLASSES_KEY));
        assertEquals("4", m.get("train.seed"));
        assertEquals(List.of(OnnxExport.NETWORK_KEY, OnnxExport.COLUMNS_KEY, OnnxExport.MISSING_KEY, OnnxExport.TARGET_KEY,
                OnnxExport.CLASSES_KEY, "train.seed"), new ArrayList<>(m.keySet()));
    }

    @Test
    void onlyTheColumnsThatImputeTakeNaNForMissingAndAScaledTargetFollowsTheOutputActivation() throws OrtException {
        // Made by hand: fitting imputes all columns or none, but the graph must keep them apart when they differ.
        Preprocessing pre = new Preprocessing(List.of(
                new ColumnEncoding.Standardized("a", 2.5, 0.5, true),
                new ColumnEncoding.OneHot("c", List.of("p", "q"), false),
                new ColumnEncoding.Standardized("b", -100, 40, false)),
                new TargetEncoding.Scaled("t", 1000, 250));
        Network network = RandomProblems.network(new int[] {4, 5, 1}, Activation.RELU, Activation.TANH, false);
        Model model = model(pre, network, 2, Map.of());
        Table table = Table.of(List.of("a", "c", "b", "t"), List.of(
                new String[] {"3", "p", "-90", "1"},
                new String[] {null, "q", "-150.25", "1"},
                new String[] {"1.75", "r", "0", "1"}));
        ModelProto proto = exportsAsThePredictorPredicts(model, table, "hand-made");
        assertEquals(List.of("IsNaN", "And", "Where", "Sub", "Div", "Gemm", "Relu", "Gemm", "Tanh", "Mul", "Add"), operators(proto));
        assertEquals("a", metadata(proto).get(OnnxExport.MISSING_KEY));

        // A NaN where the column does not impute is not the mean: the predictor refuses it, the graph passes it on.
        Map<String, String> row = new HashMap<>(Map.of("a", "3", "c", "p"));
        row.put("b", null);
        assertThrows(IllegalArgumentException.class, () -> Predictor.of(model).predict(row));
        float[] out = OnnxExportTest.runtime(proto.toByteArray(), new float[] {3, 1, 0, Float.NaN}, 1, 4);
        assertTrue(Float.isNaN(out[0]), "got " + out[0]);
    }

    @Test
    void onnxRuntimeReadsTheTablesMetadataAndShapes() throws OrtException, IOException {
        Table iris = TableFile.read(EXAMPLES.resolve("iris.csv"));
        Preprocessing pre = Preprocessing.fit(iris, "species", Task.CLASSIFICATION, false);
        Network network = RandomProblems.network(new int[] {4, 3}, Activation.RELU, Activation.SOFTMAX, true);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = ORT.createSession(OnnxExport.encode(model(pre, network, 1, Map.of())), options)) {
            assertEquals(List.of("features"), new ArrayList<>(session.getInputNames()));
            assertEquals(List.of("probabilities"), new ArrayList<>(session.getOutputNames()));
            Map<String, String> m = session.getMetadata().getCustomMetadata();
            assertEquals("sepal_length,sepal_width,petal_length,petal_width", m.get("nn.input.columns"));
            assertEquals("setosa,versicolor,virginica", m.get("classes"));
            assertEquals("species", m.get("nn.target"));
        }
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aModelWithoutPreprocessingIsExportedByteForByteAsBeforeTablesWereExported() throws NoSuchAlgorithmException {
        // The digests of the files the export wrote for these two models before it knew of tables.
        Network network = RandomProblems.network(new int[] {4, 3, 3}, Activation.TANH, Activation.SOFTMAX, true);
        Model images = new Model(RandomProblems.parameters(network, 0.5, 2), Map.of("classes", "cat,dog,bird", "train.seed", "9"));
        assertEquals("52e4689980cb0e26f0a405d0ddc50d4dfa7bdb4b2128db0c2f5a11c2dcb5a0bf", sha256(OnnxExport.encode(images)));
        Network plain = RandomProblems.network(new int[] {5, 4, 2}, Activation.RELU, Activation.IDENTITY, false);
        Model bare = new Model(RandomProblems.parameters(plain, 0.5, 2), Map.of());
        assertEquals("12f0bdfdf8c6a2b4ec8ad6c07e957eb415df6aabf39f59c2cea1343e7ed69721", sha256(OnnxExport.encode(bare)));

        ModelProto proto = OnnxExport.toProto(images);
        assertEquals(List.of("Gemm", "Tanh", "Gemm", "Softmax"), operators(proto));
        assertEquals(List.of("nn.network", "classes", "train.seed"), new ArrayList<>(metadata(proto).keySet()));
        assertEquals("cat,dog,bird", metadata(proto).get("classes"));
        assertEquals(List.of("W0", "b0", "W1", "b1"),
                proto.getGraph().getInitializerList().stream().map(t -> t.getName()).toList());
    }
}
