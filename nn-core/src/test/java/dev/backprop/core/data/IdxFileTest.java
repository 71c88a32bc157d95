package dev.backprop.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @TempDir
    Path dir;

    /** An IDX file of unsigned bytes with the given dimensions and data. */
    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(bytes);
        }
        return out.toByteArray();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void readsPlainAndGzipFilesAlike() throws IOException {
        byte[] images = idx(IdxFile.UNSIGNED_BYTE, new int[] {2, 2, 3}, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255});
        IdxFile plain = IdxFile.read(file("a-idx3-ubyte", images));
        IdxFile zipped = IdxFile.read(file("a-idx3-ubyte.gz", gzip(images)));
        assertArrayEquals(new int[] {2, 2, 3}, plain.dimensions());
        assertArrayEquals(plain.toFloats(), zipped.toFloats());
        assertEquals(255f, plain.toFloats()[11]);
    }

    @Test
    void readsWiderTypesBigEndian() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(12).putInt(-7).putFloat(1.5f).putInt(70000);
        IdxFile ints = IdxFile.read(file("i", idx(IdxFile.INT, new int[] {3}, data.array())));
        assertArrayEquals(new int[] {-7, Float.floatToIntBits(1.5f), 70000}, ints.toInts());
        ByteBuffer d = ByteBuffer.allocate(8).putDouble(-0.25);
        assertEquals(-0.25f, IdxFile.read(file("d", idx(IdxFile.DOUBLE, new int[] {1}, d.array()))).toFloats()[0]);
    }

    @Test
    void pairsOfImagesAndLabelsBecomeAScaledClassificationSet() throws IOException {
        Path images = file("img", idx(IdxFile.UNSIGNED_BYTE, new int[] {2, 1, 2}, new byte[] {0, (byte) 255, 51, 102}));
        Path labels = file("lab", idx(IdxFile.UNSIGNED_BYTE, new int[] {2}, new byte[] {9, 3}));
        DataSet d = IdxDataSets.read(images, labels, 10);
        assertEquals(2, d.size());
        assertEquals(2, d.inputSize());
        assertEquals(1.0, d.input(0, 1), 0.0);
        assertEquals(0.2f, (float) d.input(1, 0), 0.0f);
        assertEquals(9, d.label(0));
        assertEquals(1.0, d.target(1, 3), 0.0);
    }

    @Test
    void truncatedFilesAreRefusedWithTheSizes() throws IOException {
        byte[] good = idx(IdxFile.UNSIGNED_BYTE, new int[] {3, 2}, new byte[] {1, 2, 3, 4, 5, 6});
        Path cut = file("cut", Arrays.copyOf(good, good.length - 2));
        assertError(cut, "truncated: the header declares [3, 2] values of 1 bytes (6 bytes of data), but the file"
                + " holds 4 bytes after the header");
        byte[] zipped = gzip(Arrays.copyOf(good, good.length - 2));
        Path cutGzip = file("cut.gz", zipped);
        assertError(cutGzip, "truncated: the header declares 6 bytes of data, but the file holds only 4");
        Path cutHeader = file("h", Arrays.copyOf(good, 6));
        assertError(cutHeader, "byte 6: truncated in the header: 2 dimensions need 8 bytes, found 2");
        Path tiny = file("tiny", new byte[] {0, 0});
        assertError(tiny, "truncated: 2 bytes, but the IDX header alone needs 4");
        Path brokenGzip = file("broken.gz", Arrays.copyOf(gzip(good), 12));
        FileFormatException e = assertThrows(FileFormatException.class, () -> IdxFile.read(brokenGzip));
        assertEquals(true, e.getMessage().startsWith(brokenGzip + ": "), e.getMessage());
    }

    @Test
    void wrongMagicUnknownTypeAndTrailingBytesAreRefused() throws IOException {
        assertError(file("png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0}),
                "byte 0: not an IDX file: it starts with 0x89 0x50, expected 0x00 0x00");
        assertError(file("type", idx(0x42, new int[] {1}, new byte[] {1})), "byte 2: unknown IDX value type 0x42");
        byte[] good = idx(IdxFile.UNSIGNED_BYTE, new int[] {2}, new byte[] {1, 2});
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertError(file("long", longer), "unexpected length: the header declares [2] values of 1 bytes (2 bytes of"
                + " data), but the file holds 3 bytes after the header");
        assertError(file("long.gz", gzip(longer)), "byte 10: unexpected bytes after the 2 bytes of data the header declares");
    }

    @Test
    void aHeaderClaimingHugeDataFailsWithoutAllocatingIt() throws IOException {
        // 65535 × 65535 × 65535 unsigned bytes: far more than any array; refused from the header alone.
        Path huge = file("huge", idx(IdxFile.UNSIGNED_BYTE, new int[] {65535, 65535, 65535}, new byte[] {1, 2, 3}));
        assertError(huge, "header: the dimensions [65535, 65535, 65535] declare more than 2147483639 bytes of data, more"
                + " than one array can hold");
        // 2^30 bytes claimed by a gzip file holding 3: refused after reading 3 bytes, not after allocating 1 GiB.
        Path claims = file("claims.gz", gzip(idx(IdxFile.UNSIGNED_BYTE, new int[] {1 << 30}, new byte[] {1, 2, 3})));
        long before = usedHeap();
        assertError(claims, "truncated: the header declares 1073741824 bytes of data, but the file holds only 3");
        assertEquals(true, usedHeap() - before < 256L << 20, "reading allocated far more than the file holds");
    }

    @Test
    void labelsThatDoNotMatchTheImagesAreRefused() throws IOException {
        Path images = file("img", idx(IdxFile.UNSIGNED_BYTE, new int[] {2, 1, 1}, new byte[] {1, 2}));
        Path three = file("lab3", idx(IdxFile.UNSIGNED_BYTE, new int[] {3}, new byte[] {1, 2, 3}));
        FileFormatException e = assertThrows(FileFormatException.class, () -> IdxDataSets.read(images, three, 10));
        assertEquals(three + ": header: holds 3 labels, but " + images + " holds 2 images", e.getMessage());
        Path bad = file("lab", idx(IdxFile.UNSIGNED_BYTE, new int[] {2}, new byte[] {1, 12}));
        e = assertThrows(FileFormatException.class, () -> IdxDataSets.read(images, bad, 10));
        assertEquals(bad + ": label 1: is 12, outside the 10 classes 0..9", e.getMessage());
        Path empty = file("empty", idx(IdxFile.UNSIGNED_BYTE, new int[] {0, 28, 28}, new byte[0]));
        Path none = file("none", idx(IdxFile.UNSIGNED_BYTE, new int[] {0}, new byte[0]));
        e = assertThrows(FileFormatException.class, () -> IdxDataSets.read(empty, none, 10));
        assertEquals(empty + ": header: holds no images: the data set would be empty", e.getMessage());
    }

    @Test
    void aDataSetLargerThanTheHeapIsRefusedWithTheSizeItNeeds() throws IOException {
        Path images = file("img", idx(IdxFile.UNSIGNED_BYTE, new int[] {1000, 28, 28}, new byte[1000 * 28 * 28]));
        Path labels = file("lab", idx(IdxFile.UNSIGNED_BYTE, new int[] {1000}, new byte[1000]));
        // 8 bytes a pixel (the floats and their copy), 4 a label, 4 × 10 for the one-hot targets.
        long needed = 8L * 1000 * 784 + 4 * 1000 + 40 * 1000;
        DataSetTooLargeException e = assertThrows(DataSetTooLargeException.class,
                () -> IdxDataSets.of(IdxFile.read(images), IdxFile.read(labels), 10, 4L << 20));
        assertEquals(needed, e.bytesNeeded());
        assertEquals(images + ": the data set needs 6.0 MiB of memory (1000 images of 784 float32 inputs, and their"
                + " one-hot targets), more than the 4.0 MiB heap this JVM may use; raise the limit with -Xmx (for nn:"
                + " NN_JAVA_OPTS=-Xmx1g) or use fewer examples", e.getMessage());
        assertEquals(1000, IdxDataSets.of(IdxFile.read(images), IdxFile.read(labels), 10, needed).size());
    }

    @Test
    void aRealJvmWithASmallHeapGetsTheMessageNotAnOutOfMemoryError() throws Exception {
        // 20,000 blank 28×28 images: 15 MiB of bytes that gzip to a few KiB, 125 MiB as a data set.
        Path images = file("images.gz", gzip(idx(IdxFile.UNSIGNED_BYTE, new int[] {20_000, 28, 28}, new byte[20_000 * 784])));
        Path labels = file("labels", idx(IdxFile.UNSIGNED_BYTE, new int[] {20_000}, new byte[20_000]));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), LoadIdxDataSet.class.getName(), images.toString(),
                labels.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertEquals(3, p.waitFor(), out);
        assertEquals(true, out.startsWith("DataSetTooLargeException: " + images + ": the data set needs 120.5 MiB of"
                + " memory (20000 images of 784 float32 inputs, and their one-hot targets), more than the "), out);
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static void assertError(Path file, String expected) {
        FileFormatException e = assertThrows(FileFormatException.class, () -> IdxFile.read(file));
        assertEquals(file + ": " + expected, e.getMessage());
    }
}
