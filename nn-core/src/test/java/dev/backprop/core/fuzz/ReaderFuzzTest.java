package dev.backprop.core.fuzz;

import static dev.backprop.core.testing.ReaderContract.check;
import static dev.backprop.core.testing.ReaderContract.scratchFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.backprop.core.data.CsvFiles;
import dev.backprop.core.data.TableFile;
import dev.backprop.core.data.IdxDataSets;
import dev.backprop.core.data.IdxFile;
import dev.backprop.core.io.Checkpoint;
import dev.backprop.core.io.CheckpointFile;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;

/**
 * Fuzz tests of every reader of outside bytes in nn-core, each held to {@link
 * dev.backprop.core.testing.ReaderContract}. Without {@code JAZZER_FUZZ} they run as regression tests on the
 * seeds, the kept corpus and every crash found, under {@code ReaderFuzzTestInputs/<method>} in the test
 * resources; {@code tools/fuzz} runs each one in fuzzing mode.
 */
class ReaderFuzzTest {
    private static final Path NAME = Path.of("fuzzed-input");
    private static final int CLASSES = 10;
    private static final long DECOMPRESSION_CAP = 64L << 20;

    @FuzzTest(maxDuration = "10s")
    void idx(byte[] bytes) throws IOException {
        long size = isGzip(bytes) ? decompressedSize(bytes) : bytes.length;
        IdxFile file = check(NAME, size, () -> IdxFile.read(NAME, new ByteArrayInputStream(bytes)));
        if (file == null) {
            return;
        }
        int[] dims = file.dimensions();
        // What was read is then used as images (with as many zero labels) and as labels (with 1-pixel images).
        check(NAME, size, () -> {
            file.toFloats();
            return dims.length >= 2 && dims[0] <= 1 << 16 ? IdxDataSets.of(file, idx(IdxFile.UNSIGNED_BYTE, dims[0]), CLASSES) : null;
        });
        check(NAME, size, () -> dims.length == 1 && dims[0] > 0 && dims[0] <= 1 << 16
                ? IdxDataSets.of(idx(IdxFile.UNSIGNED_BYTE, dims[0], 1), file, CLASSES) : file.toInts());
    }

    @FuzzTest(maxDuration = "10s")
    void csv(byte[] bytes) throws IOException {
        Path file = Files.write(scratchFile(".csv"), bytes);
        check(file, bytes.length, () -> CsvFiles.read(file, 3, 1));
        check(file, bytes.length, () -> CsvFiles.readLabeled(file, 2, 3));
        check(file, bytes.length, () -> CsvFiles.readInputs(file, 2));
        check(file, bytes.length, () -> TableFile.read(file));
    }

    @FuzzTest(maxDuration = "10s")
    void model(byte[] bytes) throws IOException {
        Model model = check(NAME, bytes.length, () -> ModelFile.decode(NAME, bytes));
        if (model != null) {
            // Whatever is accepted is a real model: it writes and reads back unchanged.
            assertEquals(model, ModelFile.decode(NAME, ModelFile.encode(model, ModelFile.Precision.FLOAT64)));
        }
    }

    @FuzzTest(maxDuration = "10s")
    void checkpoint(byte[] bytes) throws IOException {
        Checkpoint checkpoint = check(NAME, bytes.length, () -> CheckpointFile.decode(NAME, bytes));
        if (checkpoint != null) {
            assertArrayEquals(CheckpointFile.encode(checkpoint),
                    CheckpointFile.encode(CheckpointFile.decode(NAME, CheckpointFile.encode(checkpoint))));
        }
    }

    /**
     * The model reader again, on inputs whose checksum is made right first: random bytes almost never pass
     * the CRC32C, and this target reaches the field checks behind it.
     */
    @FuzzTest(maxDuration = "10s")
    void modelWithChecksum(byte[] bytes) throws IOException {
        model(withChecksum(bytes));
    }

    /** The checkpoint reader on inputs whose outer checksum is made right first. */
    @FuzzTest(maxDuration = "10s")
    void checkpointWithChecksum(byte[] bytes) throws IOException {
        checkpoint(withChecksum(bytes));
    }

    /** The bytes with the last four replaced by the little-endian CRC32C of the others. */
    private static byte[] withChecksum(byte[] bytes) {
        if (bytes.length < 4) {
            return bytes;
        }
        byte[] fixed = bytes.clone();
        CRC32C crc = new CRC32C();
        crc.update(fixed, 0, fixed.length - 4);
        ByteBuffer.wrap(fixed, fixed.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        return fixed;
    }

    private static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
    }

    /** What the stream inflates to, up to a cap; a corrupt stream counts what came out before the error. */
    private static long decompressedSize(byte[] bytes) {
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            for (int n; (n = in.read(buffer)) >= 0 && total < DECOMPRESSION_CAP; ) {
                total += n;
            }
        } catch (IOException e) {
            // counted what there was
        }
        return total;
    }

    /** An IDX file of zeros with the given type and dimensions, made by the format's definition. */
    private static IdxFile idx(int type, int... dims) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {0, 0, (byte) type, (byte) dims.length});
        long count = 1;
        for (int d : dims) {
            out.writeInt(d);
            count *= d;
        }
        out.write(new byte[(int) count]);
        return IdxFile.read(Path.of("generated.idx"), new ByteArrayInputStream(bytes.toByteArray()));
    }

}
