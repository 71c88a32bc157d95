package dev.backprop.core.tabular;

import dev.backprop.core.data.CsvFiles;
import dev.backprop.core.data.Table;
import dev.backprop.core.data.FileFormatException;

/** Looking up columns and reading numbers out of cells, with messages that name the place. */
final class Columns {
    private Columns() {
    }

    /** The position of column {@code name} in {@code table}. */
    static int require(Table table, String name) {
        int c = table.column(name);
        if (c < 0) {
            throw new IllegalArgumentException(table.file() + ": has no column '" + name + "'; its columns are "
                    + String.join(", ", table.columns()));
        }
        return c;
    }

    static boolean isNumber(String cell) {
        return CsvFiles.isNumber(cell);
    }

    /** The number in a cell that must hold one, within float range, where networks take their inputs. */
    static double number(Table table, int row, int column, String what) throws FileFormatException {
        String cell = table.cell(row, column);
        if (cell == null) {
            throw missing(table, row, column);
        }
        if (!isNumber(cell)) {
            throw new FileFormatException(table.file(), table.where(row, column), "'" + cell + "' is not a number, but "
                    + what);
        }
        double v = Double.parseDouble(cell);
        if (Float.isInfinite((float) v)) {
            throw new FileFormatException(table.file(), table.where(row, column), cell
                    + " is out of the range of a float, in which the network takes its inputs");
        }
        return v;
    }

    /** The message of a missing value that may not be imputed. */
    static final String MISSING = "the value is missing; --impute mean fills missing numbers with the training rows' mean";

    static FileFormatException missing(Table table, int row, int column) {
        return new FileFormatException(table.file(), table.where(row, column), MISSING);
    }
}
