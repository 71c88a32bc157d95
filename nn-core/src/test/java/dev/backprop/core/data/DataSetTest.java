package dev.backprop.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DataSetTest {

    @Test
    void nonFiniteValuesAreRefusedWithTheExampleAndThePlace() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSet.ofFloats(new float[] {1, 2, 3, Float.NaN}, 2, new float[] {0, 1}, 1));
        assertEquals("example 1, input 1 is NaN; values must be finite", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DataSet.ofDoubles(new double[] {1, 2}, 1, new double[] {0, Double.NEGATIVE_INFINITY}, 1));
        assertEquals("example 1, target 0 is -Infinity; values must be finite", e.getMessage());
    }

    @Test
    void emptyAndMisshapenSetsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSet.ofFloats(new float[0], 3, new float[0], 1));
        assertEquals("the data set is empty: it has no examples", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DataSet.ofFloats(new float[5], 2, new float[2], 1));
        assertEquals("5 input values are not a whole number of examples of 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DataSet.ofFloats(new float[4], 2, new float[3], 1));
        assertEquals("2 examples of 2 inputs need 2 target values (1 each), but 3 were given", e.getMessage());
    }

    @Test
    void labelsOutsideTheClassesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSet.classification(new float[4], 2, new int[] {0, 10}, 10));
        assertEquals("example 1 has label 10, outside the 10 classes 0..9", e.getMessage());
    }

    @Test
    void gatherCopiesShuffledRowsIntoABufferInOrder() {
        DataSet d = DataSet.classification(new float[] {0, 1, 10, 11, 20, 21}, 2, new int[] {0, 1, 2}, 3);
        DataSet buffer = d.newBuffer(2);
        d.gatherInto(new int[] {2, 0, 1}, 0, 2, buffer);
        float[] x = new float[4];
        buffer.readInputs(0, 2, x, 0);
        assertArrayEquals(new float[] {20, 21, 0, 1}, x);
        assertEquals(2, buffer.label(0));
        assertEquals(1.0, buffer.target(0, 2), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.gatherInto(new int[] {0, 1, 2}, 0, 3, buffer));
        assertEquals("3 examples do not fit a buffer of 2", e.getMessage());
    }

    @Test
    void aBufferTakesInputsWrittenIntoItsRowsAndRefusesNonFiniteOnes() {
        DataSet d = DataSet.ofDoubles(new double[] {0, 1, 2, 3}, 2, new double[] {0, 1}, 1);
        DataSet buffer = d.newBuffer(3);
        buffer.writeInputs(1, 3, new float[] {9, 5.5f, 6, 7, 8}, 1);
        float[] x = new float[6];
        buffer.readInputs(0, 3, x, 0);
        assertArrayEquals(new float[] {0, 0, 5.5f, 6, 7, 8}, x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> buffer.writeInputs(0, 2, new float[] {1, 2, 3, Float.NaN}, 0));
        assertEquals("example 1, input 1 is NaN; values must be finite", e.getMessage());
        IllegalStateException notBuffer = assertThrows(IllegalStateException.class,
                () -> d.writeInputs(0, 1, new float[2], 0));
        assertEquals("only a buffer made by newBuffer() can be written", notBuffer.getMessage());
    }

    @Test
    void sliceKeepsPrecisionAndLabels() {
        DataSet d = DataSet.classification(new float[] {0, 1, 10, 11, 20, 21}, 2, new int[] {0, 1, 2}, 3);
        DataSet s = d.slice(1, 3);
        assertEquals(2, s.size());
        assertEquals(10.0, s.input(0, 0), 0.0);
        assertEquals(2, s.label(1));
    }

    @Test
    void aReorderedViewReadsTheRowsOfItsOrderAsTheArrayIsNow() {
        DataSet d = DataSet.classification(new float[] {0, 1, 10, 11, 20, 21}, 2, new int[] {0, 1, 2}, 3);
        int[] order = {2, 0, 1};
        DataSet view = d.reordered(order);
        float[] x = new float[6];
        view.readInputs(1, 3, x, 1, 3); // rows 1 and 2 of the view, each after one free slot
        assertArrayEquals(new float[] {0, 0, 1, 0, 10, 11}, x);
        float[] y = new float[6];
        view.readTargets(0, 2, y, 0);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, y);
        assertEquals(2, view.label(0));
        assertEquals(21.0, view.input(0, 1), 0.0);

        order[0] = 1; // reshuffled in place, as the trainer does every epoch
        assertEquals(1, view.label(0));
        assertEquals(10.0, view.input(0, 0), 0.0);

        DataSet ofView = view.reordered(new int[] {2, 2});
        assertEquals(2, ofView.size());
        assertEquals(1, ofView.label(1));
        double[] row = new double[2];
        ofView.readInputs(0, row, 0);
        assertArrayEquals(new double[] {10, 11}, row, 0.0);
        DataSet copy = view.select(new int[] {1, 0});
        assertEquals(0, copy.label(0));
        assertEquals(1, copy.label(1));
    }

    @Test
    void aReorderedViewOfDoublesAndABadIndexFailAtTheRead() {
        DataSet d = DataSet.ofDoubles(new double[] {0.5, 1.5, 2.5}, 1, new double[] {3.25, 4.25, 5.25}, 1);
        DataSet view = d.reordered(new int[] {1, 7});
        float[] t = new float[1];
        view.readTargets(0, 1, t, 0);
        assertArrayEquals(new float[] {4.25f}, t);
        assertEquals(1.5, view.input(0, 0), 0.0);
        assertThrows(IndexOutOfBoundsException.class, () -> view.input(1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> view.readInputs(0, 2, new float[2], 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.reordered(new int[0]));
        assertEquals("the view would be empty: the order has no examples", e.getMessage());
    }
}
