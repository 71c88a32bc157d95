package dev.backprop.core.tabular;

import dev.backprop.core.data.DataSet;
import dev.backprop.core.data.Table;
import dev.backprop.core.data.FileFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What turns a row of a table into the network's input, and the network's output into a prediction:
 * an encoding per input column ({@link ColumnEncoding}, in the header's order) and one for the target
 * ({@link TargetEncoding}). Fitted by {@link #fit} on the training rows only, so that nothing of the
 * validation or test rows leaks into training; stored in the model file with the weights.
 *
 * <p>The input of a row is the concatenation, column after column, of each encoding's values: one
 * standardized number, or a one-hot block (all zeros for a category that training never saw), or nothing
 * for a dropped column. Immutable and safe to share between threads.
 */
public final class Preprocessing {
    private final List<ColumnEncoding> columns;
    private final TargetEncoding target;
    private final Map<String, Integer> offsets;
    private final int inputSize;

    /** A preprocessing from its parts; at least one column must feed the network. */
    public Preprocessing(List<ColumnEncoding> columns, TargetEncoding target) {
        this.columns = List.copyOf(columns);
        this.target = Objects.requireNonNull(target, "target");
        Map<String, Integer> at = new LinkedHashMap<>();
        int size = 0;
        for (ColumnEncoding c : this.columns) {
            if (c.name().equals(target.name()) || at.put(c.name(), size) != null) {
                throw new IllegalArgumentException("column '" + c.name() + "' appears twice");
            }
            size += c.width();
        }
        if (size == 0) {
            throw new IllegalArgumentException("every input column was dropped (" + describeDropped(this.columns)
                    + "): the network would have no input");
        }
        this.offsets = Collections.unmodifiableMap(at);
        this.inputSize = size;
    }

    /**
     * Fits the encodings on {@code train}: every column but {@code target} is an input, numeric when each of
     * its values in these rows is a number, text otherwise.
     *
     * @param imputeMean fill missing numbers with the mean (and encode missing text as all zeros) instead
     *     of failing
     * @throws FileFormatException for a missing value (without {@code imputeMean}), a number out of range,
     *     or a missing or unreadable target, naming the file, the line and the column
     */
    public static Preprocessing fit(Table train, String target, Task task, boolean imputeMean) throws FileFormatException {
        int targetColumn = Columns.require(train, target);
        List<ColumnEncoding> columns = new ArrayList<>();
        for (int c = 0; c < train.columns().size(); c++) {
            if (c != targetColumn) {
                columns.add(fitColumn(train, c, imputeMean));
            }
        }
        return new Preprocessing(columns, fitTarget(train, targetColumn, task));
    }

    private static ColumnEncoding fitColumn(Table train, int column, boolean impute) throws FileFormatException {
        String name = train.columns().get(column);
        boolean numeric = true;
        int present = 0;
        for (int r = 0; r < train.size(); r++) {
            String cell = train.cell(r, column);
            if (cell == null) {
                if (!impute) {
                    throw Columns.missing(train, r, column);
                }
            } else {
                present++;
                numeric &= Columns.isNumber(cell);
            }
        }
        if (present == 0) {
            return new ColumnEncoding.Dropped(name, "no training row has a value");
        }
        if (numeric) {
            double sum = 0;
            for (int r = 0; r < train.size(); r++) {
                if (train.cell(r, column) != null) {
                    sum += Columns.number(train, r, column, "the column is numeric");
                }
            }
            double mean = sum / present;
            double squares = 0;
            for (int r = 0; r < train.size(); r++) {
                if (train.cell(r, column) != null) {
                    double d = Double.parseDouble(train.cell(r, column)) - mean;
                    squares += d * d;
                }
            }
            double deviation = Math.sqrt(squares / present);
            if (!(deviation > 0)) {
                return new ColumnEncoding.Dropped(name, "constant, every training row holds " + train.cell(firstPresent(train, column), column));
            }
            return new ColumnEncoding.Standardized(name, mean, deviation, impute);
        }
        TreeSet<String> categories = new TreeSet<>();
        for (int r = 0; r < train.size(); r++) {
            if (train.cell(r, column) != null) {
                categories.add(train.cell(r, column));
            }
        }
        if (categories.size() == 1) {
            return new ColumnEncoding.Dropped(name, "constant, every training row holds '" + categories.first() + "'");
        }
        return new ColumnEncoding.OneHot(name, new ArrayList<>(categories), impute);
    }

    private static int firstPresent(Table t, int column) {
        for (int r = 0; r < t.size(); r++) {
            if (t.cell(r, column) != null) {
                return r;
            }
        }
        throw new IllegalStateException("no value in column " + column);
    }

    private static TargetEncoding fitTarget(Table train, int column, Task task) throws FileFormatException {
        String name = train.columns().get(column);
        if (task == Task.REGRESSION) {
            double sum = 0;
            for (int r = 0; r < train.size(); r++) {
                sum += targetNumber(train, r, column);
            }
            double mean = sum / train.size();
            double squares = 0;
            for (int r = 0; r < train.size(); r++) {
                double d = targetNumber(train, r, column) - mean;
                squares += d * d;
            }
            return new TargetEncoding.Scaled(name, mean, Math.sqrt(squares / train.size()));
        }
        List<String> classes = new ArrayList<>();
        boolean numbers = true;
        for (int r = 0; r < train.size(); r++) {
            String cell = train.cell(r, column);
            if (cell == null) {
                throw new FileFormatException(train.file(), train.where(r, column), "the target value is missing");
            }
            if (!classes.contains(cell)) {
                classes.add(cell);
                numbers &= Columns.isNumber(cell);
            }
        }
        // Classes that are numbers keep their numeric order (2 before 10); others sort as text.
        classes.sort(numbers ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder());
        return new TargetEncoding.Classes(name, classes);
    }

    private static double targetNumber(Table t, int row, int column) throws FileFormatException {
        if (t.cell(row, column) == null) {
            throw new FileFormatException(t.file(), t.where(row, column), "the target value is missing");
        }
        return Columns.number(t, row, column, "the target of a regression must be a number");
    }

    /** The encodings of the input columns, in the header's order, dropped columns included. */
    public List<ColumnEncoding> columns() {
        return columns;
    }

    /** The names of the columns the network reads (those not dropped), in input order. */
    public List<String> inputColumns() {
        List<String> names = new ArrayList<>();
        for (ColumnEncoding c : columns) {
            if (c.width() > 0) {
                names.add(c.name());
            }
        }
        return names;
    }

    /** How the target is encoded. */
    public TargetEncoding target() {
        return target;
    }

    /** The task: classification or regression. */
    public Task task() {
        return target.task();
    }

    /** S_1, the network inputs a row makes. */
    public int inputSize() {
        return inputSize;
    }

    /**
     * The network input for a row given as named values (column name → text, as in a CSV cell); names that
     * are not input columns are ignored. A category that training never saw becomes all zeros.
     *
     * @throws IllegalArgumentException for a column the model needs that is absent or missing a value it
     *     cannot impute, or a value that is not a number in a numeric column
     */
    public float[] encode(Map<String, String> row) {
        return encode(row, column -> { });
    }

    /** As {@link #encode(Map)}, and calls {@code unseen} with the name of each column whose category is new. */
    public float[] encode(Map<String, String> row, Consumer<String> unseen) {
        float[] input = new float[inputSize];
        for (ColumnEncoding c : columns) {
            if (c.width() > 0) {
                if (!row.containsKey(c.name())) {
                    throw new IllegalArgumentException("the row has no value for column '" + c.name() + "', which the model needs");
                }
                encodeCell(c, blankToNull(row.get(c.name())), input, offsets.get(c.name()), unseen, "column '" + c.name() + "'");
            }
        }
        return input;
    }

    /** The network input for the values of {@link #inputColumns()}, in that order, as CSV text. */
    public float[] encode(String[] values) {
        List<String> names = inputColumns();
        if (values.length != names.size()) {
            throw new IllegalArgumentException("expected " + names.size() + " values (" + String.join(", ", names)
                    + "), got " + values.length);
        }
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            row.put(names.get(i), values[i]);
        }
        return encode(row);
    }

    /**
     * The network input for the raw numbers of {@link #inputColumns()}, in that order; every one of those
     * columns must be numeric. NaN stands for a missing value.
     */
    public float[] encode(float[] values) {
        List<String> names = inputColumns();
        if (values.length != names.size()) {
            throw new IllegalArgumentException("expected " + names.size() + " numbers (" + String.join(", ", names)
                    + "), got " + values.length);
        }
        float[] input = new float[inputSize];
        int i = 0;
        for (ColumnEncoding c : columns) {
            if (c instanceof ColumnEncoding.Standardized s) {
                input[offsets.get(c.name())] = standardize(s, Float.isNaN(values[i]) ? null : values[i], "column '" + c.name() + "'");
                i++;
            } else if (c instanceof ColumnEncoding.OneHot) {
                throw new IllegalArgumentException("column '" + c.name() + "' is text: encode this row from strings");
            }
        }
        return input;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private void encodeCell(ColumnEncoding c, String cell, float[] dst, int offset, Consumer<String> unseen, String where) {
        if (c instanceof ColumnEncoding.Standardized s) {
            Double value = null;
            if (cell != null) {
                if (!Columns.isNumber(cell)) {
                    throw new IllegalArgumentException(where + ": '" + cell + "' is not a number, but the column is numeric");
                }
                value = Double.parseDouble(cell);
            }
            dst[offset] = standardize(s, value, where);
        } else if (c instanceof ColumnEncoding.OneHot h) {
            if (cell == null) {
                if (!h.imputed()) {
                    throw new IllegalArgumentException(where + ": the value is missing");
                }
                return;
            }
            int k = Collections.binarySearch(h.categories(), cell);
            if (k >= 0) {
                dst[offset + k] = 1f;
            } else {
                unseen.accept(c.name());
            }
        }
    }

    private static float standardize(ColumnEncoding.Standardized s, Number value, String where) {
        if (value == null) {
            if (!s.imputed()) {
                throw new IllegalArgumentException(where + ": " + Columns.MISSING);
            }
            return 0f; // the mean, standardized
        }
        float z = (float) ((value.doubleValue() - s.mean()) / s.deviation());
        if (!Float.isFinite(z)) {
            throw new IllegalArgumentException(where + ": " + value + " is out of the range of a float once standardized");
        }
        return z;
    }

    /**
     * The inputs of every row of {@code table}, row after row, its columns matched by name (in any order;
     * extra columns are ignored). {@code unseen} is called with the column name for each cell whose
     * category training never saw.
     *
     * @throws FileFormatException naming the file, the line and the column of a bad value, or the columns
     *     the model needs that the table lacks
     */
    public float[] inputs(Table table, Consumer<String> unseen) throws FileFormatException {
        List<String> needed = inputColumns();
        int[] at = new int[needed.size()];
        List<String> absent = new ArrayList<>();
        for (int i = 0; i < at.length; i++) {
            at[i] = table.column(needed.get(i));
            if (at[i] < 0) {
                absent.add(needed.get(i));
            }
        }
        if (!absent.isEmpty()) {
            throw new FileFormatException(table.file(), "header", "lacks the column" + (absent.size() == 1 ? " " : "s ")
                    + String.join(", ", absent) + " that the model takes as input");
        }
        float[] x = new float[Math.multiplyExact(table.size(), inputSize)];
        for (int r = 0; r < table.size(); r++) {
            int i = 0;
            for (ColumnEncoding c : columns) {
                if (c.width() == 0) {
                    continue;
                }
                int column = at[i++];
                try {
                    encodeCell(c, table.cell(r, column), x, r * inputSize + offsets.get(c.name()), unseen, "");
                } catch (IllegalArgumentException e) {
                    throw new FileFormatException(table.file(), table.where(r, column), e.getMessage().replaceFirst("^: ", ""));
                }
            }
        }
        return x;
    }

    /**
     * The examples of {@code table}: its inputs as {@link #inputs} makes them, and its targets, a class
     * label (classification) or the standardized number (regression).
     *
     * @throws FileFormatException for a bad value, or a class the training rows did not have
     */
    public DataSet dataSet(Table table) throws FileFormatException {
        float[] x = inputs(table, column -> { });
        int column = Columns.require(table, target.name());
        if (target instanceof TargetEncoding.Classes k) {
            int[] labels = new int[table.size()];
            for (int r = 0; r < labels.length; r++) {
                labels[r] = classOf(table, r, column, k);
            }
            return DataSet.classification(x, inputSize, labels, k.outputs());
        }
        TargetEncoding.Scaled s = (TargetEncoding.Scaled) target;
        float[] y = new float[table.size()];
        for (int r = 0; r < y.length; r++) {
            y[r] = (float) ((targetNumber(table, r, column) - s.mean()) / s.deviation());
        }
        return DataSet.ofFloats(x, inputSize, y, 1);
    }

    /** The target values of {@code table} in their own units (regression only). */
    public double[] targetValues(Table table) throws FileFormatException {
        int column = Columns.require(table, target.name());
        double[] y = new double[table.size()];
        for (int r = 0; r < y.length; r++) {
            y[r] = targetNumber(table, r, column);
        }
        return y;
    }

    private static int classOf(Table table, int row, int column, TargetEncoding.Classes k) throws FileFormatException {
        String cell = table.cell(row, column);
        if (cell == null) {
            throw new FileFormatException(table.file(), table.where(row, column), "the target value is missing");
        }
        int c = k.classes().indexOf(cell);
        if (c < 0) {
            throw new FileFormatException(table.file(), table.where(row, column), "class '" + cell
                    + "' is not among the training rows' classes (" + String.join(", ", k.classes()) + ")");
        }
        return c;
    }

    /** One line per column and one for the target, as {@code nn train} and {@code nn info} print them. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (ColumnEncoding c : columns) {
            lines.add(c.name() + ": " + c.describe());
        }
        return lines;
    }

    private static String describeDropped(List<ColumnEncoding> columns) {
        List<String> s = new ArrayList<>();
        for (ColumnEncoding c : columns) {
            s.add(c.name() + " " + c.describe());
        }
        return String.join("; ", s);
    }

    // The stored form, inside a model file (whose checksum covers it), little-endian like the rest:
    //   byte target kind (1 classes, 2 scaled), string name, then: int n + n strings | double mean, double deviation
    //   int column count, then per column: byte kind (1 standardized, 2 one-hot, 3 dropped), string name,
    //   byte imputed (kinds 1 and 2), then: double mean, double deviation | int n + n strings | string reason
    // where a string is an int byte count and UTF-8 bytes, and doubles are stored exactly.

    /** The bytes that {@link #fromBytes} reads back as an equal preprocessing. */
    public byte[] toBytes() {
        Writer w = new Writer();
        if (target instanceof TargetEncoding.Classes k) {
            w.put(1).string(k.name()).strings(k.classes());
        } else {
            TargetEncoding.Scaled s = (TargetEncoding.Scaled) target;
            w.put(2).string(s.name()).number(s.mean()).number(s.deviation());
        }
        w.integer(columns.size());
        for (ColumnEncoding c : columns) {
            if (c instanceof ColumnEncoding.Standardized s) {
                w.put(1).string(s.name()).put(s.imputed() ? 1 : 0).number(s.mean()).number(s.deviation());
            } else if (c instanceof ColumnEncoding.OneHot h) {
                w.put(2).string(h.name()).put(h.imputed() ? 1 : 0).strings(h.categories());
            } else {
                ColumnEncoding.Dropped d = (ColumnEncoding.Dropped) c;
                w.put(3).string(d.name()).string(d.reason());
            }
        }
        return w.bytes.toByteArray();
    }

    /**
     * Reads what {@link #toBytes} wrote.
     *
     * @throws IllegalArgumentException if the bytes are not a preprocessing (saying what is wrong)
     */
    public static Preprocessing fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            TargetEncoding target = switch (b.get()) {
                case 1 -> new TargetEncoding.Classes(string(b), strings(b));
                case 2 -> new TargetEncoding.Scaled(string(b), b.getDouble(), b.getDouble());
                default -> throw new IllegalArgumentException("unknown target encoding at byte " + (b.position() - 1));
            };
            int n = count(b, 1);
            List<ColumnEncoding> columns = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int kind = b.get();
                String name = string(b);
                columns.add(switch (kind) {
                    case 1 -> {
                        boolean imputed = flag(b);
                        double mean = b.getDouble();
                        yield new ColumnEncoding.Standardized(name, mean, b.getDouble(), imputed);
                    }
                    case 2 -> {
                        boolean imputed = flag(b);
                        yield new ColumnEncoding.OneHot(name, strings(b), imputed);
                    }
                    case 3 -> new ColumnEncoding.Dropped(name, string(b));
                    default -> throw new IllegalArgumentException("unknown column encoding " + kind + " for column '" + name + "'");
                });
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " bytes after the last column");
            }
            return new Preprocessing(columns, target);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("the preprocessing ends early, at byte " + bytes.length);
        }
    }

    private static boolean flag(ByteBuffer b) {
        int f = b.get();
        if (f != 0 && f != 1) {
            throw new IllegalArgumentException("flag " + f + " is neither 0 nor 1, at byte " + (b.position() - 1));
        }
        return f == 1;
    }

    private static int count(ByteBuffer b, int minBytesEach) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining() / minBytesEach) {
            throw new IllegalArgumentException("a count of " + Integer.toUnsignedString(n) + " at byte " + (b.position() - 4)
                    + " does not fit the " + b.remaining() + " bytes left");
        }
        return n;
    }

    private static String string(ByteBuffer b) {
        int n = count(b, 1);
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static List<String> strings(ByteBuffer b) {
        int n = count(b, 4);
        List<String> s = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            s.add(string(b));
        }
        return s;
    }

    private static final class Writer {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Writer put(int value) {
            bytes.write(value);
            return this;
        }

        Writer integer(int value) {
            bytes.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
            return this;
        }

        Writer number(double value) {
            bytes.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(value).array());
            return this;
        }

        Writer string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            integer(utf8.length);
            bytes.writeBytes(utf8);
            return this;
        }

        Writer strings(List<String> list) {
            integer(list.size());
            list.forEach(this::string);
            return this;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && columns.equals(p.columns) && target.equals(p.target);
    }

    @Override
    public int hashCode() {
        return 31 * columns.hashCode() + target.hashCode();
    }

    @Override
    public String toString() {
        return "Preprocessing[" + columns + " -> " + target + "]";
    }
}
