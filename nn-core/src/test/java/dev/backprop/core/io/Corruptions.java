package dev.backprop.core.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.data.FileFormatException;
import java.nio.file.Path;
import java.util.Arrays;

/** The damage every file format of this package must refuse, tried at every byte of a good file. */
final class Corruptions {
    private Corruptions() {
    }

    /** A format's decoder, as {@link ModelFile#decode} and {@link CheckpointFile#decode} are. */
    interface Decoder {
        Object decode(Path file, byte[] bytes) throws FileFormatException;
    }

    /**
     * {@code good} with the bits {@code flip} changed in any one byte is refused, with a message that starts
     * with the file's name {@code name}.
     */
    static void assertEveryFlippedByteRefused(byte[] good, int flip, String name, Decoder decoder) {
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= (byte) flip;
            int at = i;
            FileFormatException e = assertThrows(FileFormatException.class, () -> decoder.decode(Path.of(name), bad),
                    () -> "flipping byte " + at + " went unnoticed");
            assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
        }
    }

    /** {@code good} cut to any shorter length is refused. */
    static void assertEveryCutRefused(byte[] good, String name, Decoder decoder) {
        for (int length = 0; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            assertThrows(FileFormatException.class, () -> decoder.decode(Path.of(name), cut), "cut at " + length);
        }
    }
}
