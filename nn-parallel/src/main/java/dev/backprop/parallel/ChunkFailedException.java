package dev.backprop.parallel;

/**
 * A worker of the parallel engine failed on one chunk. The message names the chunk and its examples; the
 * cause is what the worker threw (an {@link IllegalArgumentException}, an {@link OutOfMemoryError}, ...).
 * The engine stays usable.
 */
public final class ChunkFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int chunk;
    private final int from;
    private final int to;

    ChunkFailedException(int chunk, int from, int to, Throwable cause) {
        super("chunk " + chunk + " (examples " + from + " to " + (to - 1) + ") failed: " + cause, cause);
        this.chunk = chunk;
        this.from = from;
        this.to = to;
    }

    /** The index of the chunk that failed, from 0. */
    public int chunk() {
        return chunk;
    }

    /** The first example of the chunk. */
    public int from() {
        return from;
    }

    /** One past the last example of the chunk. */
    public int to() {
        return to;
    }
}
