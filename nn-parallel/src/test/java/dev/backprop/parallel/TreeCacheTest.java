package dev.backprop.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class TreeCacheTest {

    @Test
    void aKeptTreeIsFoundByItsChunkCount() {
        TreeCache<String> cache = new TreeCache<>(2);
        assertNull(cache.get(3, 0));
        String three = "tree over 3";
        cache.put(3, three, 0);
        assertSame(three, cache.get(3, 1));
        assertNull(cache.get(4, 1));
        cache.put(200, "tree over 200", 2); // counts above 127 are plain ints, not boxed keys
        assertEquals("tree over 200", cache.get(200, 3));
    }

    @Test
    void theLeastRecentlyUsedTreeGoesWhenTheCacheIsFull() {
        TreeCache<String> cache = new TreeCache<>(3);
        cache.put(1, "one", 1);
        cache.put(2, "two", 2);
        cache.put(3, "three", 3);
        cache.get(1, 4); // 2 is now the least recently used
        cache.put(4, "four", 5);
        assertNull(cache.get(2, 6));
        assertEquals("one", cache.get(1, 7));
        assertEquals("three", cache.get(3, 8));
        assertEquals("four", cache.get(4, 9));
        cache.put(5, "five", 10); // 1, used at 7, is the oldest now
        assertNull(cache.get(1, 11));
    }
}
