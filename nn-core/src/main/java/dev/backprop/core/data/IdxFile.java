package dev.backprop.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One IDX file (the MNIST and Fashion-MNIST format), plain or gzip-compressed: a 4-byte magic
 * {@code 0x00 0x00 type dims}, {@code dims} big-endian 32-bit sizes, then the values big-endian.
 *
 * <p>Reading never trusts the header for memory: the data buffer grows with what the file really holds,
 * so a header that claims 2^40 values fails as "truncated" after reading what is there, not with an
 * OutOfMemoryError. Data that is really there but does not fit the heap fails with a {@link
 * DataSetTooLargeException} that says how much memory it needs. Truncated files, wrong magic, unknown types
 * and bytes after the data each fail with a {@link FileFormatException} naming the file and the place.
 */
public final class IdxFile {
    /** Unsigned byte, the type of MNIST images and labels. */
    public static final int UNSIGNED_BYTE = 0x08;
    /** Signed byte. */
    public static final int SIGNED_BYTE = 0x09;
    /** 16-bit signed integer. */
    public static final int SHORT = 0x0B;
    /** 32-bit signed integer. */
    public static final int INT = 0x0C;
    /** 32-bit IEEE float. */
    public static final int FLOAT = 0x0D;
    /** 64-bit IEEE float. */
    public static final int DOUBLE = 0x0E;

    private static final int MAX_DIMENSIONS = 16;
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;
    private static final int FIRST_CHUNK = 1 << 20;

    private final Path file;
    private final int type;
    private final int[] dimensions;
    private final byte[] data;

    private IdxFile(Path file, int type, int[] dimensions, byte[] data) {
        this.file = file;
        this.type = type;
        this.dimensions = dimensions;
        this.data = data;
    }

    /** Reads a plain or gzip-compressed IDX file (detected by its first two bytes, not its name). */
    public static IdxFile read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "IDX file not found");
        }
        try (InputStream raw = Files.newInputStream(file)) {
            return read(file, raw, Files.size(file));
        }
    }

    /**
     * Reads a plain or gzip-compressed IDX stream, a resource for example, naming it {@code name} in
     * messages. The stream is read to its end and not closed.
     */
    public static IdxFile read(Path name, InputStream stream) throws IOException {
        return read(name, stream, -1);
    }

    private static IdxFile read(Path file, InputStream stream, long plainSize) throws IOException {
        InputStream raw = new BufferedInputStream(stream, 1 << 16);
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            return parse(file, in, gzip ? -1 : plainSize);
        } catch (ZipException | EOFException e) {
            throw new FileFormatException(file, "", "the gzip stream is corrupted or truncated (" + e.getMessage() + ")");
        }
    }

    private static IdxFile parse(Path file, InputStream in, long fileSize) throws IOException {
        byte[] magic = new byte[4];
        int got = readFully(in, magic, 0, 4);
        if (got < 4) {
            throw new FileFormatException(file, "", "truncated: " + got + " bytes, but the IDX header alone needs 4");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new FileFormatException(file, "byte 0", String.format(
                    "not an IDX file: it starts with 0x%02x 0x%02x, expected 0x00 0x00", magic[0] & 0xff, magic[1] & 0xff));
        }
        int type = magic[2] & 0xff;
        int size = elementSize(type);
        if (size == 0) {
            throw new FileFormatException(file, "byte 2", String.format("unknown IDX value type 0x%02x", type));
        }
        int rank = magic[3] & 0xff;
        if (rank < 1 || rank > MAX_DIMENSIONS) {
            throw new FileFormatException(file, "byte 3", rank + " dimensions; an IDX file here has 1 to " + MAX_DIMENSIONS);
        }
        byte[] header = new byte[4 * rank];
        got = readFully(in, header, 0, header.length);
        if (got < header.length) {
            throw new FileFormatException(file, "byte " + (4 + got),
                    "truncated in the header: " + rank + " dimensions need " + header.length + " bytes, found " + got);
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            long dim = readInt(header, 4 * d) & 0xffffffffL;
            if (dim > Integer.MAX_VALUE) {
                throw new FileFormatException(file, "byte " + (4 + 4 * d), "dimension " + d + " is " + dim + ", too large");
            }
            dims[d] = (int) dim;
            count *= dim;
            if (count * size > MAX_BYTES) {
                throw new FileFormatException(file, "header", "the dimensions " + describe(header, rank)
                        + " declare more than " + MAX_BYTES + " bytes of data, more than one array can hold");
            }
        }
        long bytes = count * size;
        long headerBytes = 4L + header.length;
        if (fileSize >= 0 && fileSize - headerBytes != bytes) {
            throw new FileFormatException(file, "", (fileSize - headerBytes < bytes ? "truncated: " : "unexpected length: ")
                    + "the header declares " + Arrays.toString(dims) + " values of " + size + " bytes (" + bytes
                    + " bytes of data), but the file holds " + (fileSize - headerBytes) + " bytes after the header");
        }
        byte[] data = readData(file, in, (int) bytes, fileSize >= 0);
        if (in.read() != -1) {
            throw new FileFormatException(file, "byte " + (headerBytes + bytes),
                    "unexpected bytes after the " + bytes + " bytes of data the header declares");
        }
        return new IdxFile(file, type, dims, data);
    }

    /** Reads exactly {@code bytes} bytes, growing the buffer only as data really arrives. */
    private static byte[] readData(Path file, InputStream in, int bytes, boolean sizeKnown) throws IOException {
        long maxHeap = Runtime.getRuntime().maxMemory();
        String what = bytes + " bytes of IDX data";
        if (bytes > maxHeap) {
            throw new DataSetTooLargeException(file, what, bytes, maxHeap, false);
        }
        try {
            return readData(file, in, bytes, sizeKnown ? bytes : Math.min(bytes, FIRST_CHUNK));
        } catch (OutOfMemoryError e) {
            throw new DataSetTooLargeException(file, what, bytes, maxHeap, true);
        }
    }

    private static byte[] readData(Path file, InputStream in, int bytes, int firstChunk) throws IOException {
        byte[] data = new byte[firstChunk];
        int filled = 0;
        while (filled < bytes) {
            if (filled == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(bytes, 2L * data.length));
            }
            int n = in.read(data, filled, data.length - filled);
            if (n < 0) {
                throw new FileFormatException(file, "", "truncated: the header declares " + bytes
                        + " bytes of data, but the file holds only " + filled);
            }
            filled += n;
        }
        return data;
    }

    private static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = in.read(b, off + total, len - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static String describe(byte[] header, int rank) {
        StringBuilder s = new StringBuilder("[");
        for (int d = 0; d < rank; d++) {
            s.append(d == 0 ? "" : ", ").append(readInt(header, 4 * d) & 0xffffffffL);
        }
        return s.append(']').toString();
    }

    private static int elementSize(int type) {
        return switch (type) {
            case UNSIGNED_BYTE, SIGNED_BYTE -> 1;
            case SHORT -> 2;
            case INT, FLOAT -> 4;
            case DOUBLE -> 8;
            default -> 0;
        };
    }

    /** The file this was read from. */
    public Path file() {
        return file;
    }

    /** The value type code ({@link #UNSIGNED_BYTE}, ...). */
    public int type() {
        return type;
    }

    /** The sizes of the dimensions, outermost first (60000, 28, 28 for MNIST training images). */
    public int[] dimensions() {
        return dimensions.clone();
    }

    /** The number of values. */
    public int count() {
        return data.length / elementSize(type);
    }

    /** Every value as a float (integers up to 2^24 exactly). */
    public float[] toFloats() {
        float[] values = new float[count()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) value(i);
        }
        return values;
    }

    /**
     * Every value as an int.
     *
     * @throws FileFormatException if the file holds floating-point values
     */
    public int[] toInts() throws FileFormatException {
        if (type == FLOAT || type == DOUBLE) {
            throw new FileFormatException(file, "byte 2", "holds floating-point values where integers (labels) were expected");
        }
        int[] values = new int[count()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (int) value(i);
        }
        return values;
    }

    private double value(int i) {
        return switch (type) {
            case UNSIGNED_BYTE -> data[i] & 0xff;
            case SIGNED_BYTE -> data[i];
            case SHORT -> (short) ((data[2 * i] & 0xff) << 8 | (data[2 * i + 1] & 0xff));
            case INT -> readInt(data, 4 * i);
            case FLOAT -> Float.intBitsToFloat(readInt(data, 4 * i));
            default -> Double.longBitsToDouble((long) readInt(data, 8 * i) << 32 | (readInt(data, 8 * i + 4) & 0xffffffffL));
        };
    }
}
