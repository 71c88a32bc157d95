package dev.backprop.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.Activation;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.data.Table;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.tabular.Preprocessing;
import dev.backprop.core.tabular.Task;
import dev.backprop.core.tabular.TargetEncoding;
import dev.backprop.core.testing.Allocations;
import dev.backprop.core.testing.RandomProblems;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model trained on a table, served from a row of named values through its stored preprocessing. */
class PredictorPreprocessingTest {
    private static final String[] COLOURS = {"red", "green", "blue"};

    /** size: numeric; colour: text; unit: constant (dropped); label: a class; price: a number. */
    private static Table table() {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            double size = (i * 7 % 11) * 0.5;
            String label = size < 1.5 ? "small" : size < 3.5 ? "medium" : "large";
            double price = 40 + 12.5 * size + 9 * (i % 3);
            rows.add(new String[] {Double.toString(size), COLOURS[i % 3], "cm", label, Double.toString(price)});
        }
        return Table.of(List.of("size", "colour", "unit", "label", "price"), rows);
    }

    /** The table without the column that is the other task's target, so that it is not an input. */
    private static Table without(Table t, String column) {
        List<String> names = new ArrayList<>(t.columns());
        int drop = names.indexOf(column);
        names.remove(drop);
        List<String[]> rows = new ArrayList<>();
        for (int r = 0; r < t.size(); r++) {
            List<String> cells = new ArrayList<>();
            for (int c = 0; c < t.columns().size(); c++) {
                if (c != drop) {
                    cells.add(t.cell(r, c));
                }
            }
            rows.add(cells.toArray(String[]::new));
        }
        return Table.of(names, rows);
    }

    /** A model of random weights over {@code p}, written to a model file and loaded back by the predictor. */
    private static Predictor served(Preprocessing p, Activation output, long seed, Path dir) throws Exception {
        Network network = RandomProblems.network(new int[] {p.inputSize(), 5, p.target().outputs()}, Activation.TANH,
                output, true);
        Model model = new Model(RandomProblems.parameters(network, 0.9, seed), Map.of("data", "generated"), p);
        Path file = dir.resolve("tabular.nnbp");
        ModelFile.write(file, model);
        Predictor predictor = Predictor.load(file);
        assertEquals(p, predictor.preprocessing().orElseThrow(), "the preprocessing read back from the file");
        return predictor;
    }

    /** h(x) by the double-precision reference engine on the input the preprocessing makes of {@code row}. */
    private static double[] reference(Predictor predictor, Map<String, String> row) {
        Parameters parameters = predictor.model().parameters();
        float[] x = predictor.preprocessing().orElseThrow().encode(row);
        int outputs = predictor.outputs();
        DataSet one = DataSet.ofFloats(x, x.length, new float[outputs], outputs);
        double[] h = new double[outputs];
        new ReferenceEngine().predict(parameters, one, 0, 1, h);
        return h;
    }

    private static final List<Map<String, String>> ROWS = List.of(
            Map.of("size", "0.5", "colour", "red", "unit", "cm"),
            Map.of("colour", "blue", "size", "4.75", "unit", "m", "comment", "extra keys are ignored"),
            Map.of("size", "2", "colour", "purple", "unit", "cm"), // a colour training never saw
            Map.of("size", "-3", "colour", "green", "unit", "cm"));

    @Test
    void aClassifierGivesTheReferenceProbabilitiesAndTheClassName(@TempDir Path dir) throws Exception {
        Preprocessing p = Preprocessing.fit(without(table(), "price"), "label", Task.CLASSIFICATION, false);
        Predictor predictor = served(p, Activation.SOFTMAX, 3, dir);
        List<String> classes = ((TargetEncoding.Classes) p.target()).classes();
        assertEquals(3, classes.size());
        for (Map<String, String> row : ROWS) {
            double[] expected = reference(predictor, row);
            double[] h = predictor.predict(row);
            assertArrayEquals(expected, h, 1e-6, row.toString());
            assertEquals(1.0, h[0] + h[1] + h[2], 1e-6, "probabilities of " + row);
            int best = expected[0] >= expected[1] && expected[0] >= expected[2] ? 0 : expected[1] >= expected[2] ? 1 : 2;
            assertEquals(classes.get(best), predictor.predictClass(row), row.toString());
        }
    }

    @Test
    void anUnseenCategoryIsAllZerosAndDoesNotFail(@TempDir Path dir) throws Exception {
        Preprocessing p = Preprocessing.fit(without(table(), "price"), "label", Task.CLASSIFICATION, false);
        Predictor predictor = served(p, Activation.SOFTMAX, 4, dir);
        // size standardized, then colour one-hot over blue, green, red; unit is dropped
        float z = (float) ((2 - sizeMean()) / sizeDeviation());
        float[] encoded = {z, 0, 0, 0};
        assertArrayEquals(encoded, p.encode(ROWS.get(2)), 1e-6f);
        float[] h = predictor.predict(encoded);
        double[] fromRow = predictor.predict(ROWS.get(2));
        for (int j = 0; j < h.length; j++) {
            assertEquals(h[j], fromRow[j], 1e-6, "output " + j);
        }
    }

    private static double sizeMean() {
        double sum = 0;
        Table t = table();
        for (int r = 0; r < t.size(); r++) {
            sum += Double.parseDouble(t.cell(r, 0));
        }
        return sum / t.size();
    }

    private static double sizeDeviation() {
        double mean = sizeMean();
        double squares = 0;
        Table t = table();
        for (int r = 0; r < t.size(); r++) {
            double d = Double.parseDouble(t.cell(r, 0)) - mean;
            squares += d * d;
        }
        return Math.sqrt(squares / t.size());
    }

    @Test
    void aRegressionGivesTheValueInTheTargetsUnits(@TempDir Path dir) throws Exception {
        Preprocessing p = Preprocessing.fit(without(table(), "label"), "price", Task.REGRESSION, false);
        Predictor predictor = served(p, Activation.IDENTITY, 5, dir);
        TargetEncoding.Scaled scaled = (TargetEncoding.Scaled) p.target();
        double[] prices = p.targetValues(without(table(), "label"));
        double mean = 0;
        for (double y : prices) {
            mean += y;
        }
        assertEquals(mean / prices.length, scaled.mean(), 1e-9, "the target is standardized with the prices' mean");
        for (Map<String, String> row : ROWS) {
            double z = reference(predictor, row)[0];
            double expected = scaled.mean() + scaled.deviation() * z;
            assertEquals(scaled.value(z), expected, 1e-12);
            // the engines agree within 1e-6 on z; the value scales that by the deviation
            assertEquals(expected, predictor.predictValue(row), 1e-6 * scaled.deviation(), row.toString());
            assertArrayEquals(new double[] {predictor.predictValue(row)}, predictor.predict(row), row.toString());
        }
    }

    @Test
    void badRowsAndTheWrongKindOfPredictionAreRefusedWithExactMessages(@TempDir Path dir) throws Exception {
        Predictor classifier = served(Preprocessing.fit(without(table(), "price"), "label", Task.CLASSIFICATION, false),
                Activation.SOFTMAX, 6, dir);
        Predictor regression = served(Preprocessing.fit(without(table(), "label"), "price", Task.REGRESSION, false),
                Activation.IDENTITY, 7, dir);
        Map<String, String> noSize = Map.of("colour", "red");
        assertEquals("the row has no value for column 'size', which the model needs",
                assertThrows(IllegalArgumentException.class, () -> classifier.predict(noSize)).getMessage());
        assertEquals("the row has no value for column 'size', which the model needs",
                assertThrows(IllegalArgumentException.class, () -> regression.predictValue(noSize)).getMessage());
        assertEquals("column 'size': 'big' is not a number, but the column is numeric",
                assertThrows(IllegalArgumentException.class,
                        () -> classifier.predictClass(Map.of("size", "big", "colour", "red"))).getMessage());
        Map<String, String> row = ROWS.get(0);
        assertEquals("the model predicts the number 'price', not a class: use predictValue",
                assertThrows(IllegalArgumentException.class, () -> regression.predictClass(row)).getMessage());
        assertEquals("the model predicts the class 'label', not a number: use predictClass",
                assertThrows(IllegalArgumentException.class, () -> classifier.predictValue(row)).getMessage());
        Predictor bare = Predictor.of(RandomProblems.parameters(Network.of(3, 2), 0.5, 1));
        assertTrue(bare.preprocessing().isEmpty());
        assertEquals("the model has no preprocessing, so it cannot read a row of named values: give it its 3 features "
                + "as a float[]", assertThrows(IllegalArgumentException.class, () -> bare.predict(row)).getMessage());
    }

    @Test
    void theEncodedFeaturesPathStillAllocatesNothing(@TempDir Path dir) throws Exception {
        Preprocessing p = Preprocessing.fit(without(table(), "price"), "label", Task.CLASSIFICATION, false);
        Predictor predictor = served(p, Activation.SOFTMAX, 8, dir);
        float[] encoded = p.encode(new HashMap<>(ROWS.get(1)));
        float[] out = new float[predictor.outputs()];
        assertEquals(0, Allocations.fewestBytesPerCall(() -> predictor.predict(encoded, out), 0, Duration.ofSeconds(60)),
                "bytes allocated by one prediction of encoded features");
        double[] fromRow = predictor.predict(ROWS.get(1));
        for (int j = 0; j < out.length; j++) {
            assertEquals(out[j], fromRow[j], 1e-6, "output " + j);
        }
    }
}
