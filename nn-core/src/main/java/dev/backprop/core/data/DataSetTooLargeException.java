package dev.backprop.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A data set that does not fit the JVM's heap. Thrown before allocating when the heap's limit is too small
 * for it, and in place of the {@link OutOfMemoryError} when the heap is too full at the moment; the message
 * names the file, the memory the set needs and the limit, and says how to raise it.
 */
public class DataSetTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long bytesNeeded;

    DataSetTooLargeException(Path file, String what, long bytesNeeded, long maxHeap, boolean heapFull) {
        super(file + ": the data set needs " + size(bytesNeeded) + " of memory (" + what + "), "
                + (heapFull ? "more than is free in the " + size(maxHeap) + " heap"
                        : "more than the " + size(maxHeap) + " heap this JVM may use")
                + "; raise the limit with -Xmx (for nn: NN_JAVA_OPTS=-Xmx" + heapSuggestion(bytesNeeded, maxHeap)
                + ") or use fewer examples");
        this.bytesNeeded = bytesNeeded;
    }

    /** The bytes the data set needs beyond what is already loaded. */
    public long bytesNeeded() {
        return bytesNeeded;
    }

    /** A size in bytes for people: "812.0 KiB", "3.5 GiB". */
    public static String size(long bytes) {
        if (bytes < 1L << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    /** A round heap size (for -Xmx) with room for {@code bytesNeeded}, the rest of the program and the collector's slack. */
    public static String heapSuggestion(long bytesNeeded, long maxHeap) {
        long gib = Math.max(1, (2 * Math.max(bytesNeeded, maxHeap) + (1L << 30) - 1) >> 30);
        return gib + "g";
    }
}
