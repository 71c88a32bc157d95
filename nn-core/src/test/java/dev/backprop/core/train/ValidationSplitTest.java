package dev.backprop.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.core.data.DataSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationSplitTest {
    /** One input per example, its index, so that a part shows which examples it holds. */
    private static DataSet numbered(int m) {
        double[] inputs = new double[m];
        double[] targets = new double[m];
        for (int i = 0; i < m; i++) {
            inputs[i] = i;
        }
        return DataSet.ofDoubles(inputs, 1, targets, 1);
    }

    private static List<Integer> indices(DataSet part) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < part.size(); i++) {
            out.add((int) part.input(i, 0));
        }
        return out;
    }

    @Test
    void aSeededFractionIsHeldOutAndTheRestTrainedOnEachInItsOrder() {
        DataSet all = numbered(50);
        ValidationSplit split = ValidationSplit.of(all, 0.1, 7);
        List<Integer> training = indices(split.training());
        List<Integer> validation = indices(split.validation());
        assertEquals(45, training.size());
        assertEquals(5, validation.size());
        List<Integer> both = new ArrayList<>(training);
        both.addAll(validation);
        both.sort(null);
        assertEquals(indices(all), both, "every example in exactly one part");
        assertEquals(training.stream().sorted().toList(), training);
        assertEquals(validation.stream().sorted().toList(), validation);
        assertEquals(validation, indices(ValidationSplit.of(all, 0.1, 7).validation()), "the same seed, the same examples");
        assertNotEquals(validation, indices(ValidationSplit.of(all, 0.1, 8).validation()));
    }

    @Test
    void nothingHeldOutKeepsTheSetAndAllHeldOutIsRefused() {
        DataSet all = numbered(10);
        ValidationSplit none = ValidationSplit.of(all, 0.04, 1);
        assertSame(all, none.training());
        assertNull(none.validation());
        assertEquals("holding out 0.96 of the examples for validation leaves none of 10 to train on",
                assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(all, 0.96, 1)).getMessage());
    }
}
