package dev.backprop.parallel;

import java.util.Arrays;

/** A small synchronized stack that allocates only when it grows: the engine's idle workers and partial sums. */
final class SyncStack<T> {
    private Object[] items = new Object[8];
    private int size;

    synchronized void push(T item) {
        if (size == items.length) {
            items = Arrays.copyOf(items, 2 * size);
        }
        items[size++] = item;
    }

    /** The last item pushed, or null when there is none. */
    @SuppressWarnings("unchecked")
    synchronized T pop() {
        if (size == 0) {
            return null;
        }
        T item = (T) items[--size];
        items[size] = null;
        return item;
    }

    synchronized void clear() {
        Arrays.fill(items, 0, size, null);
        size = 0;
    }
}
