package dev.backprop.parallel;

/**
 * Where a range of examples is cut into chunks. The cuts depend on the length of the range alone, never
 * on the number of threads, which is the first half of why the parallel engine's bits do not depend on
 * the thread count (the second is the fixed reduction tree).
 *
 * <p>A chunk is at least {@code minChunk} examples, so that each worker's products stay large enough to
 * run near the SIMD engine's speed, and the chunk count is at most {@code maxChunks}, so that the
 * reduction (one parameter-sized addition per chunk) stays small against the products of a full batch.
 */
public record Chunking(int minChunk, int maxChunks) {
    /** 128 examples, at most 64 chunks. */
    public static final Chunking DEFAULT = new Chunking(128, 64);

    public Chunking {
        if (minChunk < 1) {
            throw new IllegalArgumentException("the smallest chunk must hold at least 1 example, got " + minChunk);
        }
        if (maxChunks < 1) {
            throw new IllegalArgumentException("at least 1 chunk is needed, got " + maxChunks);
        }
    }

    /** The examples per chunk for a range of {@code m} examples: a multiple of minChunk. */
    public int chunkSize(int m) {
        long perChunk = Math.max(minChunk, ((long) m + maxChunks - 1) / maxChunks);
        long rounded = (perChunk + minChunk - 1) / minChunk * minChunk;
        return (int) Math.min(Integer.MAX_VALUE, rounded);
    }

    /** The number of chunks for {@code m} examples. */
    public int chunks(int m) {
        int size = chunkSize(m);
        return m == 0 ? 0 : (int) (((long) m + size - 1) / size);
    }
}
