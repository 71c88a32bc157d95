package dev.backprop.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.core.Network;
import dev.backprop.core.data.FileFormatException;
import dev.backprop.core.testing.RandomProblems;
import dev.backprop.core.testing.ReaderContract;
import dev.backprop.core.train.TrainingPosition;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Headers that claim sizes far beyond the file, with a correct checksum so that only the size checks stand
 * between them and the allocation: each is refused with its message, and reading allocates no more than the
 * reader contract allows for a file of its size (megabytes, where the claims are terabytes).
 */
class ResourceBoundsTest {
    private static final Path FILE = Path.of("claims");
    private static final Network NETWORK = Network.builder(2, 1).build(); // 3 weights
    private static final Model MODEL = new Model(RandomProblems.parameters(NETWORK, 1, 1), Map.of());

    /** The bytes with a field changed and the checksum made right again. */
    private static byte[] patched(byte[] bytes, int at, long value, int width) {
        byte[] b = bytes.clone();
        ByteBuffer buffer = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (width == 8) {
            buffer.putLong(at, value);
        } else {
            buffer.putInt(at, (int) value);
        }
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        buffer.putInt(b.length - 4, (int) crc.getValue());
        return b;
    }

    private static void assertRefused(byte[] bytes, boolean checkpoint, String expected) {
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> { if (checkpoint) { CheckpointFile.decode(FILE, bytes); } else { ModelFile.decode(FILE, bytes); } });
        assertEquals(FILE + ": " + expected, e.getMessage());
        ReaderContract.check(FILE, bytes.length, () -> checkpoint ? CheckpointFile.decode(FILE, bytes) : ModelFile.decode(FILE, bytes));
    }

    @Test
    void aModelClaimingTerabytesOfWeightsIsRefusedFromItsHeader() {
        byte[] good = ModelFile.encode(MODEL, ModelFile.Precision.FLOAT64);
        // Layout for 2 layers, no provenance: units at 14 and 18, activation at 22, provenance count at 23, P at 27.
        assertRefused(patched(good, 27, 1L << 40, 8), false, "the file is " + good.length + " bytes, but its header"
                + " describes an impossible 1099511627776 weights: it is truncated or corrupted");
        assertRefused(patched(good, 10, Integer.MAX_VALUE, 4), false, "byte 10: layer count 2147483647 is impossible");
        assertRefused(patched(good, 23, 1 << 30, 4), false, "byte 23: provenance entry count 1073741824 is impossible");
        byte[] wide = patched(patched(good, 14, 1 << 14, 4), 18, 1 << 14, 4);
        Network claimed = Network.builder(1 << 14, 1 << 14).build(); // 268 million weights, 2 GB
        assertRefused(wide, false, "header: the file holds 3 weights, but the network " + claimed + " has "
                + claimed.parameterCount());
        byte[] beyond = patched(patched(good, 14, 1 << 20, 4), 18, 1 << 20, 4);
        assertRefused(beyond, false, "header: invalid network: the network [1048576, 1048576] has 1099512676352 weights,"
                + " more than one Java array can hold (2147483639)");
    }

    @Test
    void aCheckpointClaimingTerabytesOfOptimizerStateIsRefusedFromItsHeader() {
        double[] state = MODEL.parameters().values();
        byte[] good = CheckpointFile.encode(new Checkpoint(MODEL, new TrainingPosition(1, 0, 0, 0, 1), 0, List.of(state)));
        assertRefused(patched(good, 52, 1L << 40, 8), true, "byte 48: an optimizer state of 1 arrays of 1099511627776"
                + " values is impossible in a file of " + good.length + " bytes");
        assertRefused(patched(good, 48, 8, 4), true, "byte 48: the optimizer state of 8 × 3 values does not fit the "
                + (good.length - 60) + " bytes left");
    }
}
