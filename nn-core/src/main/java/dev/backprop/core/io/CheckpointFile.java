package dev.backprop.core.io;

import dev.backprop.core.data.FileFormatException;
import dev.backprop.core.data.DataFingerprint;
import dev.backprop.core.train.TrainingPosition;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes checkpoint files. The format, version 2, little-endian:
 *
 * <pre>
 * offset  size        field
 * 0       4           magic "NNCK"
 * 4       2           format version (2)
 * 6       2           reserved, 0
 * 8       4           epoch of the next step, from 1
 * 12      4           batch of the next step within its epoch, from 0
 * 16      8           steps taken so far
 * 24      8           Σ J_i of the current epoch so far (float64)
 * 32      8           state of the shuffling generator of the current epoch
 * 40      8           steps the optimizer has applied
 * 48      4           A, the number of optimizer state arrays (0 to 8)
 * 52      8           P, the length of each (the model's weight count when A &gt; 0)
 * 60      A × P × 8   the arrays, float64
 * ..      4           N, the length of the model
 * ..      N           a model file in the format of {@link ModelFile}, float64, its settings in the provenance
 * ..      1           1 if the fingerprint of the training data follows, 0 if not
 * ..      4           S, the length of the data's source (absolute path or name), in UTF-8 bytes
 * ..      S           the source
 * ..      4 × 4       examples, inputs, targets and CRC32C of the data ({@link DataFingerprint})
 * ..      4           CRC32C of every byte before it
 * </pre>
 *
 * <p>Version 1 files are version 2 without the fields of the data, from the flag to the data's CRC32C; they
 * are still read, with no fingerprint.
 *
 * Files are replaced atomically ({@link AtomicFiles}); reading checks the length and the checksum before
 * it builds anything and throws {@link FileFormatException} naming the file for anything wrong.
 */
public final class CheckpointFile {
    /** The version this build writes and the newest it reads. */
    public static final int FORMAT_VERSION = 2;

    private static final byte[] MAGIC = {'N', 'N', 'C', 'K'};
    private static final int HEADER = 60;
    private static final int MAX_STATE_ARRAYS = 8;

    private CheckpointFile() {
    }

    /** Writes {@code checkpoint} to {@code file}, replacing it atomically. */
    public static void write(Path file, Checkpoint checkpoint) throws IOException {
        byte[] bytes = encode(checkpoint);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** The bytes of a checkpoint file. */
    public static byte[] encode(Checkpoint checkpoint) {
        byte[] model = ModelFile.encode(checkpoint.model(), ModelFile.Precision.FLOAT64);
        List<double[]> state = checkpoint.optimizerState();
        long p = checkpoint.model().network().parameterCount();
        DataFingerprint data = checkpoint.data().orElse(null);
        byte[] source = data == null ? new byte[0] : data.source().getBytes(StandardCharsets.UTF_8);
        long length = HEADER + state.size() * p * 8 + 4 + model.length + (data == null ? 1 : 1 + 4 + source.length + 16) + 4;
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a checkpoint of " + p + " weights and " + state.size()
                    + " optimizer arrays does not fit one file of this format");
        }
        TrainingPosition at = checkpoint.position();
        ByteBuffer b = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) FORMAT_VERSION).putShort((short) 0)
                .putInt(at.epoch()).putInt(at.batch()).putLong(at.steps()).putDouble(at.epochLossSum())
                .putLong(at.shuffleState()).putLong(checkpoint.optimizerSteps()).putInt(state.size()).putLong(p);
        for (double[] s : state) {
            for (double v : s) {
                b.putDouble(v);
            }
        }
        b.putInt(model.length).put(model);
        if (data == null) {
            b.put((byte) 0);
        } else {
            b.put((byte) 1).putInt(source.length).put(source).putInt(data.examples()).putInt(data.inputs())
                    .putInt(data.targets()).putInt(data.crc());
        }
        ModelFile.putCrc(b);
        return b.array();
    }

    /**
     * Reads a checkpoint file.
     *
     * @throws FileFormatException if the file is not a checkpoint, is truncated or corrupted, or was written
     *     by a newer format version; the message says which
     */
    public static Checkpoint read(Path file) throws IOException {
        return decode(file, ModelFile.readWhole(file, "checkpoint not found", "larger than any checkpoint"));
    }

    /** Decodes the bytes of a checkpoint file; {@code file} is named in messages. */
    public static Checkpoint decode(Path file, byte[] bytes) throws FileFormatException {
        if (bytes.length < HEADER + 8) {
            throw new FileFormatException(file, "", "the file is " + bytes.length
                    + " bytes, too short to be a checkpoint (truncated?)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new FileFormatException(file, "byte 0", "not a checkpoint: it does not start with \"NNCK\"");
            }
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int version = Short.toUnsignedInt(b.getShort(4));
        if (version > FORMAT_VERSION || version < 1) {
            throw new FileFormatException(file, "byte 4", "format version " + version + (version < 1
                    ? " does not exist" : " is newer than this build reads (up to " + FORMAT_VERSION + "); use a newer nn"));
        }
        // Everything after the version is covered by the checksum: check it before trusting any field.
        ModelFile.checkCrc(file, bytes);
        try {
            b.position(8);
            int epoch = b.getInt();
            int batch = b.getInt();
            long steps = b.getLong();
            double epochLoss = b.getDouble();
            long shuffleState = b.getLong();
            long optimizerSteps = b.getLong();
            int arrays = b.getInt();
            long p = b.getLong();
            if (arrays < 0 || arrays > MAX_STATE_ARRAYS || p < 0 || p > (bytes.length - HEADER) / 8) {
                throw new FileFormatException(file, "byte 48", "an optimizer state of " + Integer.toUnsignedString(arrays)
                        + " arrays of " + p + " values is impossible in a file of " + bytes.length + " bytes");
            }
            List<double[]> state = new ArrayList<>();
            if ((long) arrays * p * 8 > b.remaining()) {
                throw new FileFormatException(file, "byte 48", "the optimizer state of " + arrays + " × " + p
                        + " values does not fit the " + b.remaining() + " bytes left");
            }
            for (int a = 0; a < arrays; a++) {
                double[] s = new double[(int) p];
                for (int i = 0; i < s.length; i++) {
                    s[i] = b.getDouble();
                }
                state.add(s);
            }
            int at = b.position();
            int modelLength = b.getInt();
            int after = version == 1 ? 4 : 4 + 1;
            if (modelLength < 0 || (version == 1 ? modelLength != b.remaining() - after : modelLength > b.remaining() - after)) {
                throw new FileFormatException(file, "byte " + at, "the model is said to be "
                        + Integer.toUnsignedString(modelLength) + " bytes, but " + (b.remaining() - after) + " remain");
            }
            byte[] model = new byte[modelLength];
            b.get(model);
            Model decoded = ModelFile.decode(file, model);
            DataFingerprint data = version == 1 ? null : readData(file, b);
            if (b.remaining() != 4) {
                throw new FileFormatException(file, "byte " + b.position(), (b.remaining() - 4)
                        + " bytes follow the data's fingerprint, where the checksum should be");
            }
            try {
                return new Checkpoint(decoded, new TrainingPosition(epoch, batch, steps, epochLoss, shuffleState),
                        optimizerSteps, state, data);
            } catch (IllegalArgumentException e) {
                throw new FileFormatException(file, "header", e.getMessage());
            }
        } catch (BufferUnderflowException e) {
            throw new FileFormatException(file, "", "the file ends early, at byte " + bytes.length + ": it is truncated");
        }
    }

    private static DataFingerprint readData(Path file, ByteBuffer b) throws FileFormatException {
        int at = b.position();
        int flag = b.get();
        if (flag == 0) {
            return null;
        }
        if (flag != 1) {
            throw new FileFormatException(file, "byte " + at, "the data flag is " + flag + ", not 0 or 1");
        }
        int length = b.getInt();
        if (length < 0 || length > b.remaining() - 16 - 4) {
            throw new FileFormatException(file, "byte " + (at + 1), "the data's source is said to be "
                    + Integer.toUnsignedString(length) + " bytes, more than the file holds");
        }
        byte[] source = new byte[length];
        b.get(source);
        return new DataFingerprint(new String(source, StandardCharsets.UTF_8), b.getInt(), b.getInt(), b.getInt(), b.getInt());
    }
}
