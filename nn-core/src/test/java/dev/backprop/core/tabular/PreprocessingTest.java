package dev.backprop.core.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.core.data.DataSet;
import dev.backprop.core.data.Table;
import dev.backprop.core.data.FileFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreprocessingTest {
    /** size: numeric; colour: text; unit: constant; label: the target. */
    private static Table table(String[]... rows) {
        return Table.of(List.of("size", "colour", "unit", "label"), List.of(rows));
    }

    private static final Table TRAIN = table(
            new String[] {"1", "red", "cm", "a"},
            new String[] {"2", "green", "cm", "b"},
            new String[] {"6", "red", "cm", "a"});

    @Test
    void standardizesNumbersOneHotsTextAndDropsAConstantColumn() throws FileFormatException {
        Preprocessing p = Preprocessing.fit(TRAIN, "label", Task.CLASSIFICATION, false);
        double mean = 3.0;
        double deviation = Math.sqrt((4 + 1 + 9) / 3.0);
        assertEquals(List.of(new ColumnEncoding.Standardized("size", mean, deviation, false),
                new ColumnEncoding.OneHot("colour", List.of("green", "red"), false),
                new ColumnEncoding.Dropped("unit", "constant, every training row holds 'cm'")), p.columns());
        assertEquals(new TargetEncoding.Classes("label", List.of("a", "b")), p.target());
        assertEquals(3, p.inputSize());
        DataSet d = p.dataSet(TRAIN);
        assertEquals((float) ((6 - mean) / deviation), d.input(2, 0), 0.0);
        assertEquals(0.0, d.input(2, 1), 0.0);
        assertEquals(1.0, d.input(2, 2), 0.0);
        assertEquals(1, d.label(1));
    }

    @Test
    void theThreeFormsOfARowGiveTheSameInput() throws FileFormatException {
        Preprocessing p = Preprocessing.fit(TRAIN, "label", Task.CLASSIFICATION, false);
        float[] named = p.encode(Map.of("colour", "green", "size", "4", "ignored", "x"));
        assertArrayEquals(named, p.encode(new String[] {"4", "green"}));
        Preprocessing numeric = Preprocessing.fit(Table.of(List.of("x", "y"),
                List.of(new String[] {"1", "0"}, new String[] {"3", "1"})), "y", Task.CLASSIFICATION, false);
        assertArrayEquals(numeric.encode(Map.of("x", "2.5")), numeric.encode(new float[] {2.5f}));
        assertEquals(0.5f, numeric.encode(new float[] {2.5f})[0], 0f);
    }

    @Test
    void anUnseenCategoryIsAllZerosAndReported() throws FileFormatException {
        Preprocessing p = Preprocessing.fit(TRAIN, "label", Task.CLASSIFICATION, false);
        List<String> unseen = new ArrayList<>();
        float[] x = p.inputs(table(new String[] {"3", "blue", "m", "a"}), unseen::add);
        assertArrayEquals(new float[] {0f, 0f, 0f}, x);
        assertEquals(List.of("colour"), unseen);
    }

    @Test
    void aMissingValueNamesTheLineAndColumnUnlessImputed() throws FileFormatException {
        Table missing = table(new String[] {"1", "red", "cm", "a"}, new String[] {null, "green", "cm", "b"},
                new String[] {"5", "red", "cm", "a"});
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> Preprocessing.fit(missing, "label", Task.CLASSIFICATION, false));
        assertEquals("(table): line 3, column 1 'size': the value is missing; --impute mean fills missing numbers with "
                + "the training rows' mean", e.getMessage());
        Preprocessing p = Preprocessing.fit(missing, "label", Task.CLASSIFICATION, true);
        assertEquals(new ColumnEncoding.Standardized("size", 3.0, 2.0, true), p.columns().get(0));
        assertEquals(0.0, p.dataSet(missing).input(1, 0), 0.0); // the mean
    }

    @Test
    void textInANumericColumnAndAnUnknownClassAreRefusedWithThePlace() throws FileFormatException {
        Preprocessing p = Preprocessing.fit(TRAIN, "label", Task.CLASSIFICATION, false);
        assertEquals("(table): line 2, column 1 'size': 'big' is not a number, but the column is numeric",
                assertThrows(FileFormatException.class, () -> p.dataSet(table(new String[] {"big", "red", "cm", "a"})))
                        .getMessage());
        assertEquals("(table): line 2, column 4 'label': class 'c' is not among the training rows' classes (a, b)",
                assertThrows(FileFormatException.class, () -> p.dataSet(table(new String[] {"1", "red", "cm", "c"})))
                        .getMessage());
        assertEquals("(table): header: lacks the column colour that the model takes as input",
                assertThrows(FileFormatException.class, () -> p.inputs(Table.of(List.of("size"),
                        List.<String[]>of(new String[] {"1"})), c -> { })).getMessage());
    }

    @Test
    void regressionStandardizesTheTargetAndUndoesIt() throws FileFormatException {
        Table t = Table.of(List.of("x", "y"), List.of(new String[] {"1", "10"}, new String[] {"2", "20"},
                new String[] {"3", "60"}));
        Preprocessing p = Preprocessing.fit(t, "y", Task.REGRESSION, false);
        TargetEncoding.Scaled s = (TargetEncoding.Scaled) p.target();
        double deviation = Math.sqrt((400 + 100 + 900) / 3.0);
        assertEquals(30.0, s.mean(), 0.0);
        assertEquals(deviation, s.deviation(), 1e-12);
        DataSet d = p.dataSet(t);
        assertEquals((float) (30 / deviation), d.target(2, 0), 0.0);
        assertEquals(60.0, s.value(d.target(2, 0)), 1e-5);
    }

    @Test
    void theStoredFormReadsBackEqual() throws FileFormatException {
        Preprocessing p = Preprocessing.fit(TRAIN, "label", Task.CLASSIFICATION, true);
        assertEquals(p, Preprocessing.fromBytes(p.toBytes()));
        Table t = Table.of(List.of("x", "y"), List.of(new String[] {"0.1", "1.5"}, new String[] {"0.7", "-2"}));
        Preprocessing r = Preprocessing.fit(t, "y", Task.REGRESSION, false);
        assertEquals(r, Preprocessing.fromBytes(r.toBytes()));
        byte[] cut = java.util.Arrays.copyOf(r.toBytes(), r.toBytes().length - 3);
        assertEquals("the preprocessing ends early, at byte " + cut.length,
                assertThrows(IllegalArgumentException.class, () -> Preprocessing.fromBytes(cut)).getMessage());
    }

    @Test
    void theTaskComesFromTheTargetsValues() {
        Table t = Table.of(List.of("a", "b", "c"), List.of(new String[] {"x", "1", "1.5"}, new String[] {"y", "2", "2"}));
        assertEquals(new TaskChoice(Task.CLASSIFICATION, "the target 'a' holds text (2 distinct values)"),
                TaskChoice.infer(t, "a"));
        assertEquals(Task.CLASSIFICATION, TaskChoice.infer(t, "b").task());
        assertEquals(new TaskChoice(Task.REGRESSION, "the target 'c' holds numbers that are not whole, such as 1.5"),
                TaskChoice.infer(t, "c"));
        assertEquals("(table): has no column 'd'; its columns are a, b, c",
                assertThrows(IllegalArgumentException.class, () -> TaskChoice.infer(t, "d")).getMessage());
    }

    @Test
    void aStratifiedSplitKeepsEachClassesShare() {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(new String[] {Integer.toString(i), i < 80 ? "common" : "rare"});
        }
        Table t = Table.of(List.of("x", "y"), rows);
        Table[] split = Splits.split(t, "y", Task.CLASSIFICATION, 0.25, 3);
        assertEquals(75, split[0].size());
        assertEquals(25, split[1].size());
        long rare = java.util.stream.IntStream.range(0, 25).filter(r -> split[1].cell(r, 1).equals("rare")).count();
        assertEquals(5, rare);
        Table[] again = Splits.split(t, "y", Task.CLASSIFICATION, 0.25, 3);
        for (int r = 0; r < 25; r++) {
            assertEquals(split[1].line(r), again[1].line(r));
        }
    }
}
