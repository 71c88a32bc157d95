package dev.backprop.parallel;

/**
 * The reduction trees of the last few chunk counts, kept because a tree is a few objects per chunk; the
 * least recently used goes. Keyed by a plain int, not a map's Integer: a count above 127 would be boxed on
 * every call. Used by one call at a time (the engine's calls are serialized).
 */
final class TreeCache<T> {
    private final int[] chunks;
    private final Object[] trees;
    private final long[] used;

    TreeCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a tree cache holds at least 1 tree, got " + capacity);
        }
        chunks = new int[capacity];
        trees = new Object[capacity];
        used = new long[capacity];
    }

    /** The tree over {@code count} chunks, marked as used at {@code now}; null if none is kept. */
    @SuppressWarnings("unchecked")
    T get(int count, long now) {
        for (int i = 0; i < trees.length; i++) {
            if (trees[i] != null && chunks[i] == count) {
                used[i] = now;
                return (T) trees[i];
            }
        }
        return null;
    }

    /** Keeps {@code tree} for {@code count} chunks, in an empty place or in that of the least recently used. */
    void put(int count, T tree, long now) {
        int oldest = 0;
        for (int i = 0; i < trees.length; i++) {
            if (trees[i] == null || used[i] < used[oldest] && trees[oldest] != null) {
                oldest = i;
            }
        }
        chunks[oldest] = count;
        trees[oldest] = tree;
        used[oldest] = now;
    }
}
