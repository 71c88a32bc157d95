package dev.backprop.core.data;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table as read from a CSV file with a header: named columns and rows of text cells, each row with the
 * line of the file it came from, so that any later problem with a value can name the file, the line and
 * the column. A missing value is {@code null}. Immutable.
 */
public final class Table {
    private final Path file;
    private final List<String> columns;
    private final Map<String, Integer> index;
    private final String[][] rows;
    private final int[] lines;

    Table(Path file, List<String> columns, String[][] rows, int[] lines) {
        this.file = file;
        this.columns = List.copyOf(columns);
        this.rows = rows;
        this.lines = lines;
        this.index = new HashMap<>();
        for (int c = 0; c < this.columns.size(); c++) {
            index.put(this.columns.get(c), c);
        }
    }

    /**
     * A table from cells in memory (rows × columns, {@code null} for a missing value); lines are numbered as
     * in a file whose first line is the header.
     */
    public static Table of(List<String> columns, List<String[]> rows) {
        String[][] copy = new String[rows.size()][];
        int[] lines = new int[rows.size()];
        for (int r = 0; r < copy.length; r++) {
            if (rows.get(r).length != columns.size()) {
                throw new IllegalArgumentException("row " + r + " has " + rows.get(r).length + " values for "
                        + columns.size() + " columns");
            }
            copy[r] = rows.get(r).clone();
            lines[r] = r + 2;
        }
        return new Table(Path.of("(table)"), columns, copy, lines);
    }

    /** The file the table was read from, for messages. */
    public Path file() {
        return file;
    }

    /** The column names, in the order of the header. */
    public List<String> columns() {
        return columns;
    }

    /** The position of the column {@code name}, or −1. */
    public int column(String name) {
        Integer c = index.get(name);
        return c == null ? -1 : c;
    }

    /** The number of rows, the header not counted. */
    public int size() {
        return rows.length;
    }

    /** The text of row {@code row}, column {@code column}, trimmed; {@code null} when the value is missing. */
    public String cell(int row, int column) {
        return rows[row][Objects.checkIndex(column, columns.size())];
    }

    /** The line of the file that row {@code row} came from (the header is line 1). */
    public int line(int row) {
        return lines[row];
    }

    /** "line 7, column 3 'age'": where a cell is, for messages. */
    public String where(int row, int column) {
        return "line " + lines[row] + ", column " + (column + 1) + " '" + columns.get(column) + "'";
    }

    /** The rows at {@code indices}, in that order, with their lines. */
    public Table rows(int[] indices) {
        String[][] picked = new String[indices.length][];
        int[] pickedLines = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            picked[i] = rows[indices[i]];
            pickedLines[i] = lines[indices[i]];
        }
        return new Table(file, columns, picked, pickedLines);
    }
}
