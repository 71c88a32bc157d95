package dev.backprop.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.GradientSum;
import dev.backprop.core.data.DataSet;
import org.junit.jupiter.api.Test;

class CallTest {

    @Test
    void aCallKeepsTheFirstFailureAndStopsAndANewOneForgetsIt() {
        Call call = new Call();
        GradientSum sum = GradientSum.zeros(3);
        call.start(sum, true, 2);
        assertEquals(1, call.number);
        assertSame(Thread.currentThread(), call.waiter);
        IllegalStateException first = new IllegalStateException("first");
        call.fail(first);
        call.fail(new IllegalStateException("second"));
        assertSame(first, call.failure());
        assertTrue(call.cancelled);
        call.finish();
        assertTrue(call.done);

        call.start(sum, false, 1);
        assertEquals(2, call.number, "every call has a new number");
        assertNull(call.failure());
        assertFalse(call.cancelled);
        assertFalse(call.done);
        assertFalse(call.replace);
    }

    @Test
    void theEndOfACallDropsTheCallersReferences() {
        Call call = new Call();
        DataSet data = DataSet.ofDoubles(new double[] {1, 2}, 1, new double[] {0, 1}, 1);
        call.set(data, 0, 2, 1, new double[2], 0);
        call.start(GradientSum.zeros(2), true, 1);
        call.end();
        assertNull(call.data);
        assertNull(call.outputs);
        assertNull(call.into);
        assertNull(call.waiter);
        assertNull(call.params);
    }
}
