package dev.backprop.core.tabular;

import dev.backprop.core.data.Table;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The task a target column makes when none is given, with the reason in words: text or whole numbers make
 * a classification, other numbers a regression.
 *
 * @param task the task chosen
 * @param reason why, for the user ("the target 'species' holds text (3 values)")
 */
public record TaskChoice(Task task, String reason) {

    /** The task of column {@code target} of {@code table}; the column must exist. */
    public static TaskChoice infer(Table table, String target) {
        int column = Columns.require(table, target);
        Set<String> distinct = new TreeSet<>();
        String fraction = null;
        boolean text = false;
        for (int r = 0; r < table.size(); r++) {
            String cell = table.cell(r, column);
            if (cell == null) {
                continue;
            }
            distinct.add(cell);
            if (!Columns.isNumber(cell)) {
                text = true;
            } else if (fraction == null && !isWhole(cell)) {
                fraction = cell;
            }
        }
        String values = distinct.size() + (distinct.size() == 1 ? " value" : " distinct values");
        if (text) {
            return new TaskChoice(Task.CLASSIFICATION, "the target '" + target + "' holds text (" + values + ")");
        }
        if (fraction == null) {
            return new TaskChoice(Task.CLASSIFICATION, "the target '" + target + "' holds whole numbers only ("
                    + values + "); --task regression treats them as numbers");
        }
        return new TaskChoice(Task.REGRESSION, "the target '" + target + "' holds numbers that are not whole, such as "
                + fraction);
    }

    private static boolean isWhole(String number) {
        double v = Double.parseDouble(number);
        return v == Math.rint(v) && !number.toLowerCase(Locale.ROOT).contains("e-");
    }
}
