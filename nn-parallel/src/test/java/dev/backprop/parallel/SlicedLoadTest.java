package dev.backprop.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class SlicedLoadTest {

    @Test
    void everySliceIsLoadedOnceWhicheverThreadsTakeThemAndAllAreDoneOnReturn() throws Exception {
        int slices = 16;
        AtomicIntegerArray loads = new AtomicIntegerArray(slices);
        int[] seenOnReturn = new int[4];
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < slices; i++) {
                loads.set(i, 0);
            }
            SlicedLoad load = new SlicedLoad((slice, of) -> {
                assertEquals(slices, of);
                loads.incrementAndGet(slice);
                Thread.onSpinWait();
            });
            load.begin(slices);
            Thread[] threads = new Thread[seenOnReturn.length];
            for (int t = 0; t < threads.length; t++) {
                int me = t;
                threads[t] = new Thread(() -> {
                    load.ensureLoaded();
                    int sum = 0;
                    for (int i = 0; i < slices; i++) {
                        sum += loads.get(i);
                    }
                    seenOnReturn[me] = sum;
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            for (int i = 0; i < slices; i++) {
                assertEquals(1, loads.get(i), "slice " + i);
            }
            for (int seen : seenOnReturn) {
                assertEquals(slices, seen, "a thread returned before every slice was loaded");
            }
            load.ensureLoaded(); // already loaded: loads nothing again
            assertEquals(1, loads.get(0));
        }
    }

    @Test
    void aNewCallLoadsAgain() {
        int[] loads = new int[1];
        SlicedLoad load = new SlicedLoad((slice, of) -> loads[0]++);
        load.begin(3);
        load.ensureLoaded();
        load.begin(2);
        load.ensureLoaded();
        assertEquals(5, loads[0]);
        assertEquals("the weights load in at least 1 slice, got 0",
                assertThrows(IllegalArgumentException.class, () -> load.begin(0)).getMessage());
    }
}
