package dev.backprop.core.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.data.FileFormatException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * The contract every reader of outside bytes keeps, checked by the fuzz tests: for any input it returns a
 * valid object or throws {@link FileFormatException} whose message starts with the file's name, and it
 * allocates at most {@link #BYTES_PER_INPUT_BYTE} bytes per input byte plus {@link #FIXED_BYTES}, and it takes
 * at most {@link #FIXED_NANOS} plus {@link #NANOS_PER_INPUT_BYTE} per byte, so that nothing grows faster than
 * the input (a backtracking pattern, a loop driven by a header field). Any other
 * exception or error (an {@code ArrayIndexOutOfBoundsException}, an {@code OutOfMemoryError} from trusting a
 * header) breaks the contract and fails the fuzz test, which keeps the input as a regression case.
 */
public final class ReaderContract {
    /**
     * Generous for garbage (a CSV field of two bytes becomes a String, a Matcher and a double), but a header
     * trusted for memory, which asks for gigabytes from a few bytes, exceeds it by orders of magnitude.
     */
    public static final long BYTES_PER_INPUT_BYTE = 512;
    /** Buffers of fixed size: the 64 KiB stream buffers, the IDX reader's first 1 MiB chunk, JSON parsers. */
    public static final long FIXED_BYTES = 16L << 20;
    /** Two seconds: far above any honest read of a fuzzed input, even instrumented and on a loaded machine. */
    public static final long FIXED_NANOS = 2_000_000_000L;
    /** 10 µs a byte, 100 times what the CSV reader, the slowest, needs. */
    public static final long NANOS_PER_INPUT_BYTE = 10_000;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ReaderContract() {
    }

    /** A reader of {@code name}. */
    @FunctionalInterface
    public interface Read<T> {
        /** Reads the input. */
        T read() throws Exception;
    }

    /**
     * Runs {@code read} on an input of {@code inputBytes} bytes (for compressed inputs, the bytes after
     * decompression) and returns what it read, or null when it refused the input as it should.
     */
    public static <T> T check(Path name, long inputBytes, Read<T> read) {
        // Run once, then measure a second run: the first may load and initialize classes, which allocates
        // megabytes that have nothing to do with the input.
        T first = readOnce(name, read);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        T result = readOnce(name, read);
        long nanos = System.nanoTime() - start;
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        long limit = FIXED_NANOS + NANOS_PER_INPUT_BYTE * inputBytes;
        assertTrue(nanos <= limit, () -> "reading " + inputBytes + " bytes took " + nanos / 1_000_000
                + " ms, more than the limit " + limit / 1_000_000 + " ms");
        long bound = BYTES_PER_INPUT_BYTE * inputBytes + FIXED_BYTES;
        assertTrue(allocated <= bound, () -> "reading " + inputBytes + " bytes allocated " + allocated
                + " bytes, more than the bound " + bound);
        assertTrue((first == null) == (result == null), "the same input was once accepted and once refused");
        return result;
    }

    private static <T> T readOnce(Path name, Read<T> read) {
        T result;
        try {
            result = read.read();
        } catch (FileFormatException e) {
            String message = e.getMessage();
            assertTrue(message.startsWith(name + ": ") && message.length() > name.toString().length() + 2,
                    () -> "the message does not name the file and the problem: " + message);
            result = null;
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError("a reader threw " + e.getClass().getName() + " instead of FileFormatException", e);
        }
        return result;
    }

    private static final java.util.Map<String, Path> SCRATCH = new java.util.HashMap<>();

    /**
     * A temporary file ending in {@code suffix}, one per suffix for the whole run, deleted when the JVM
     * exits: fuzz targets that need a file write each input over it rather than making millions of files.
     */
    public static synchronized Path scratchFile(String suffix) {
        return SCRATCH.computeIfAbsent(suffix, s -> {
            try {
                Path file = java.nio.file.Files.createTempFile("fuzzed-", s);
                file.toFile().deleteOnExit();
                return file;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
