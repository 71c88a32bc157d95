package dev.backprop.core.data;

import com.google.common.primitives.ImmutableDoubleArray;
import com.google.common.primitives.ImmutableIntArray;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Numeric CSV without a header: one example a line, fields separated by commas, blank lines ignored.
 * Values are kept in double precision, exactly as written. Each bad row fails with the file, the line and
 * the field: the wrong number of fields, text that is not a decimal number, a number out of range, or a
 * label outside the classes. {@code NaN} and {@code Infinity} are refused as text, not parsed. A UTF-8
 * byte order mark at the start of the file is skipped.
 */
public final class CsvFiles {
    // Possessive quantifiers: with plain ones, a long run of digits that ends in a bad character backtracks
    // through every split of the digits, quadratic in the field's length.
    private static final Pattern NUMBER = Pattern.compile("[+-]?+(\\d++(\\.\\d*+)?+|\\.\\d++)([eE][+-]?+\\d++)?+");

    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private CsvFiles() {
    }

    /** Rows of {@code inputs} inputs followed by {@code targets} targets. */
    public static DataSet read(Path file, int inputs, int targets) throws IOException {
        ImmutableDoubleArray.Builder x = ImmutableDoubleArray.builder();
        ImmutableDoubleArray.Builder y = ImmutableDoubleArray.builder();
        String expected = (inputs + targets) + " fields (" + count(inputs, "input") + ", then " + count(targets, "target")
                + ")";
        int rows = forEachRow(file, inputs + targets, expected, (fields, line) -> {
            for (int f = 0; f < fields.length; f++) {
                (f < inputs ? x : y).add(number(file, line, f, fields[f]));
            }
        });
        checkNotEmpty(file, rows);
        return DataSet.ofDoubles(x.build().toArray(), inputs, y.build().toArray(), targets);
    }

    /**
     * Rows of {@code inputs} values and nothing else, row after row in one array: examples to predict, whose
     * targets are unknown. Values beyond the range of a float are refused, since the float32 engines would
     * make infinities and NaN of them.
     */
    public static double[] readInputs(Path file, int inputs) throws IOException {
        ImmutableDoubleArray.Builder x = ImmutableDoubleArray.builder();
        int rows = forEachRow(file, inputs, count(inputs, "input"), (fields, line) -> {
            for (int f = 0; f < fields.length; f++) {
                x.add(floatNumber(file, line, f, fields[f], "inputs to predict"));
            }
        });
        checkNotEmpty(file, rows);
        return x.build().toArray();
    }

    /** Rows of {@code inputs} inputs followed by one class label in [0, classes). */
    public static DataSet readLabeled(Path file, int inputs, int classes) throws IOException {
        ImmutableDoubleArray.Builder x = ImmutableDoubleArray.builder();
        ImmutableIntArray.Builder labels = ImmutableIntArray.builder();
        String expected = (inputs + 1) + " fields (" + count(inputs, "input") + ", then the class label)";
        int rows = forEachRow(file, inputs + 1, expected, (fields, line) -> {
            for (int f = 0; f < inputs; f++) {
                x.add(floatNumber(file, line, f, fields[f], "labeled inputs"));
            }
            String label = fields[inputs].trim();
            int value;
            try {
                value = Integer.parseInt(label);
            } catch (NumberFormatException e) {
                throw new FileFormatException(file, where(line, inputs), "label '" + label + "' is not a whole number");
            }
            if (value < 0 || value >= classes) {
                throw new FileFormatException(file, where(line, inputs), "label " + value + " is outside the " + classes
                        + " classes 0.." + (classes - 1));
            }
            labels.add(value);
        });
        checkNotEmpty(file, rows);
        double[] wide = x.build().toArray();
        float[] narrow = new float[wide.length];
        for (int i = 0; i < wide.length; i++) {
            narrow[i] = (float) wide[i];
        }
        return DataSet.classification(narrow, inputs, labels.build().toArray(), classes);
    }

    @FunctionalInterface
    private interface RowHandler {
        void accept(String[] fields, int line) throws FileFormatException;
    }

    private static int forEachRow(Path file, int fieldCount, String expected, RowHandler handler) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "CSV file not found");
        }
        int rows = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                if (line == 1 && text.startsWith(BYTE_ORDER_MARK)) {
                    text = text.substring(1); // spreadsheets on Windows start UTF-8 files with one
                }
                if (text.isBlank()) {
                    continue;
                }
                String[] fields = text.split(",", -1);
                if (fields.length != fieldCount) {
                    throw new FileFormatException(file, "line " + line, "expected " + expected + ", found " + fields.length);
                }
                handler.accept(fields, line);
                rows++;
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new FileFormatException(file, "", "is not UTF-8 text");
        }
        return rows;
    }

    private static void checkNotEmpty(Path file, int rows) throws FileFormatException {
        if (rows == 0) {
            throw new FileFormatException(file, "", "holds no examples: the data set would be empty");
        }
    }

    private static double number(Path file, int line, int field, String text) throws FileFormatException {
        String s = text.trim();
        if (!NUMBER.matcher(s).matches()) {
            throw new FileFormatException(file, where(line, field), "'" + s + "' is not a number"
                    + (line == 1 ? " (the file must not have a header row)" : ""));
        }
        double value = Double.parseDouble(s);
        if (!Double.isFinite(value)) {
            throw new FileFormatException(file, where(line, field), s + " is out of the range of a double");
        }
        return value;
    }

    /** A number that must also fit a float: the engines compute in float32. */
    private static double floatNumber(Path file, int line, int field, String text, String what)
            throws FileFormatException {
        double value = number(file, line, field, text);
        if (Float.isInfinite((float) value)) {
            throw new FileFormatException(file, where(line, field), text.trim()
                    + " is out of the range of a float, in which " + what + " are kept");
        }
        return value;
    }

    /** Whether {@code text}, trimmed, is a decimal number as this reader accepts it (never NaN or Infinity). */
    public static boolean isNumber(String text) {
        return NUMBER.matcher(text.trim()).matches();
    }

    /**
     * The fields of one line of a CSV with quoting (RFC 4180 within a line): a field that starts with a
     * double quote runs to the closing quote, may hold commas, and writes a quote as two. Fields are not
     * trimmed here; a quoted field keeps its spaces.
     *
     * @throws FileFormatException for a quote left open at the end of the line, or text after a closing quote
     */
    static List<String> quotedFields(Path file, int line, String text) throws FileFormatException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (true) {
            int start = i;
            while (i < n && text.charAt(i) == ' ') {
                i++;
            }
            if (i < n && text.charAt(i) == '"') {
                int open = i++;
                field.setLength(0);
                while (true) {
                    if (i >= n) {
                        throw new FileFormatException(file, where(line, fields.size()), "the quote opened at character "
                                + (open + 1) + " is not closed on this line (a field may not span lines)");
                    }
                    char c = text.charAt(i++);
                    if (c == '"') {
                        if (i < n && text.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                while (i < n && text.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && text.charAt(i) != ',') {
                    throw new FileFormatException(file, where(line, fields.size()),
                            "text after the closing quote; write a quote inside a quoted field as \"\"");
                }
                fields.add(field.toString());
            } else {
                int comma = text.indexOf(',', i);
                i = comma < 0 ? n : comma;
                fields.add(text.substring(start, i));
            }
            if (i >= n) {
                return fields;
            }
            i++; // the comma
        }
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static String where(int line, int field) {
        return "line " + line + ", field " + (field + 1);
    }
}
