package dev.backprop.core.tabular;

import dev.backprop.core.SeededRandom;
import dev.backprop.core.data.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holding rows out of a table, by a seed alone. For a classification the split is stratified: each class
 * gives the same fraction of its rows (rounded), so a small class is not left out of either side by chance.
 */
public final class Splits {
    private Splits() {
    }

    /**
     * {@code table} cut into the rows kept and the rows held out ({@code fraction} of them, rounded per class
     * for a classification on column {@code target}), each in the table's order.
     */
    public static Table[] split(Table table, String target, Task task, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("the fraction held out must be in [0, 1), got " + fraction);
        }
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        int column = Columns.require(table, target);
        for (int r = 0; r < table.size(); r++) {
            String key = task == Task.CLASSIFICATION ? String.valueOf(table.cell(r, column)) : "";
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        SeededRandom random = new SeededRandom(seed);
        boolean[] held = new boolean[table.size()];
        int heldCount = 0;
        for (List<Integer> rows : groups.values()) {
            int[] order = rows.stream().mapToInt(Integer::intValue).toArray();
            random.shuffle(order);
            int take = (int) Math.round(fraction * order.length);
            for (int i = 0; i < take; i++) {
                held[order[i]] = true;
            }
            heldCount += take;
        }
        int[] kept = new int[table.size() - heldCount];
        int[] out = new int[heldCount];
        int k = 0;
        int h = 0;
        for (int r = 0; r < held.length; r++) {
            if (held[r]) {
                out[h++] = r;
            } else {
                kept[k++] = r;
            }
        }
        if (kept.length == 0) {
            throw new IllegalArgumentException(table.file() + ": holding out " + fraction + " of " + table.size()
                    + " rows leaves none to train on");
        }
        return new Table[] {table.rows(kept), table.rows(Arrays.copyOf(out, h))};
    }
}
