package dev.backprop.core.io;

import dev.backprop.core.Activation;
import dev.backprop.core.Cost;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.FileFormatException;
import dev.backprop.core.tabular.Preprocessing;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads and writes model files. The format, version 2, all integers and floats little-endian:
 *
 * <pre>
 * offset  size        field
 * 0       4           magic "NNBP"
 * 4       2           format version: 1, or 2 for a model that carries a preprocessing
 * 6       1           bias units: 0 off, 1 on
 * 7       1           cost: 1 half-sse, 2 cross-entropy
 * 8       1           value type: 4 float32, 8 float64
 * 9       1           reserved, 0
 * 10      4           L, the number of layers
 * 14      4 L         S_1 .. S_L, the layer sizes
 * ..      L − 1       activation of layers 2..L: 1 sigmoid, 2 tanh, 3 relu, 4 identity, 5 softmax
 * ..      4           number of provenance entries, then for each: 4-byte length and UTF-8 bytes of
 *                     the key, 4-byte length and UTF-8 bytes of the value
 * ..      4 + N       version 2 only: N, then the N bytes of the {@link Preprocessing} ({@link Preprocessing#toBytes})
 * ..      8           P, the number of weights (must match the layer sizes)
 * ..      P × type    the weights in the flat layout of {@link Network} (matrix after matrix, row-major,
 *                     bias column first), IEEE 754
 * ..      4           CRC32C of every byte before it
 * </pre>
 *
 * A file is written to a temporary file and renamed into place ({@link AtomicFiles}), so a crash leaves
 * either the old model or the new one. Reading checks the magic, refuses newer versions, checks the
 * length the header implies and the checksum before it builds anything, and rejects non-finite weights.
 * Float64 (the default) stores the weights exactly; float32 halves the size and rounds each weight.
 *
 * <p>A model without a preprocessing is written as version 1, byte for byte as before version 2 existed,
 * so files of version 1 and the tools that read them keep working; both versions are read.
 */
public final class ModelFile {
    /** The version this build writes and the newest it reads. */
    public static final int FORMAT_VERSION = 2;

    private static final byte[] MAGIC = {'N', 'N', 'B', 'P'};
    private static final int FIXED_HEADER = 14;

    /** How weights are stored. */
    public enum Precision {
        /** 4 bytes a weight, rounded to float32. */
        FLOAT32(4),
        /** 8 bytes a weight, exact. */
        FLOAT64(8);

        final int bytes;

        Precision(int bytes) {
            this.bytes = bytes;
        }
    }

    private ModelFile() {
    }

    /** Writes {@code model} to {@code file} in float64, replacing it atomically. */
    public static void write(Path file, Model model) throws IOException {
        write(file, model, Precision.FLOAT64);
    }

    /** Writes {@code model} to {@code file} with the given precision, replacing it atomically. */
    public static void write(Path file, Model model, Precision precision) throws IOException {
        byte[] bytes = encode(model, precision);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** The bytes of a model file for {@code model}. */
    public static byte[] encode(Model model, Precision precision) {
        Network network = model.network();
        double[] weights = model.parameters().values();
        List<byte[]> strings = new ArrayList<>();
        int stringBytes = 0;
        for (Map.Entry<String, String> e : model.provenance().entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            strings.add(k);
            strings.add(v);
            stringBytes += 8 + k.length + v.length;
        }
        byte[] preprocessing = model.preprocessing().map(Preprocessing::toBytes).orElse(null);
        int layers = network.layers();
        long length = FIXED_HEADER + 4L * layers + (layers - 1) + 4 + stringBytes
                + (preprocessing == null ? 0 : 4L + preprocessing.length) + 8
                + (long) weights.length * precision.bytes + 4;
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a model of " + weights.length + " weights in " + precision
                    + " does not fit one file of this format; use FLOAT32 or a smaller network");
        }
        ByteBuffer b = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) (preprocessing == null ? 1 : 2)).put((byte) (network.bias() ? 1 : 0))
                .put(costCode(network.cost())).put((byte) precision.bytes).put((byte) 0).putInt(layers);
        for (int l = 0; l < layers; l++) {
            b.putInt(network.units(l));
        }
        for (int l = 1; l < layers; l++) {
            b.put(activationCode(network.activation(l)));
        }
        b.putInt(strings.size() / 2);
        for (byte[] s : strings) {
            b.putInt(s.length).put(s);
        }
        if (preprocessing != null) {
            b.putInt(preprocessing.length).put(preprocessing);
        }
        b.putLong(weights.length);
        for (double w : weights) {
            if (precision == Precision.FLOAT32) {
                b.putFloat((float) w);
            } else {
                b.putDouble(w);
            }
        }
        putCrc(b);
        return b.array();
    }

    /**
     * Reads a model file.
     *
     * @throws FileFormatException if the file is not a model file, is truncated or corrupted, or was
     *     written by a newer format version; the message says which
     */
    public static Model read(Path file) throws IOException {
        return decode(file, readWhole(file, "model file not found", "larger than any model file of format " + FORMAT_VERSION));
    }

    /**
     * The bytes of a file that must fit one array; {@code notFound} and {@code tooLarge} finish the messages
     * of a missing file and of one too large to be what it should be.
     */
    static byte[] readWhole(Path file, String notFound, String tooLarge) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileFormatException(file, "", "is a directory, not a file");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, notFound);
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new FileFormatException(file, "", "the file is " + size + " bytes, " + tooLarge);
        }
        return Files.readAllBytes(file);
    }

    /** Decodes the bytes of a model file; {@code file} is named in messages. */
    public static Model decode(Path file, byte[] bytes) throws FileFormatException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < MAGIC.length + 2) {
            throw new FileFormatException(file, "", "the file is " + bytes.length
                    + " bytes, too short to be a model file (truncated?)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new FileFormatException(file, "byte 0", "not a model file: it does not start with \"NNBP\"");
            }
        }
        int version = Short.toUnsignedInt(b.getShort(4));
        if (version > FORMAT_VERSION) {
            throw new FileFormatException(file, "byte 4", "format version " + version
                    + " is newer than this build reads (up to " + FORMAT_VERSION + "); use a newer nn");
        }
        if (version < 1) {
            throw new FileFormatException(file, "byte 4", "format version 0 does not exist");
        }
        try {
            b.position(6);
            int bias = b.get();
            int cost = b.get();
            int valueBytes = b.get();
            b.get(); // reserved
            int layers = b.getInt();
            if (layers < 2 || layers > (bytes.length - b.position()) / 5) {
                throw corrupt(file, bytes, "byte 10", "layer count " + Integer.toUnsignedString(layers) + " is impossible");
            }
            int[] units = new int[layers];
            for (int l = 0; l < layers; l++) {
                units[l] = b.getInt();
            }
            List<Activation> activations = new ArrayList<>();
            for (int l = 1; l < layers; l++) {
                activations.add(activation(file, bytes, b.position(), b.get()));
            }
            int entries = b.getInt();
            if (entries < 0 || entries > (bytes.length - b.position()) / 8) {
                throw corrupt(file, bytes, "byte " + (b.position() - 4),
                        "provenance entry count " + Integer.toUnsignedString(entries) + " is impossible");
            }
            Map<String, String> provenance = new LinkedHashMap<>();
            for (int e = 0; e < entries; e++) {
                String key = string(file, bytes, b);
                provenance.put(key, string(file, bytes, b));
            }
            byte[] preprocessing = null;
            if (version >= 2) {
                int at = b.position();
                int length = b.getInt();
                if (length < 0 || length > b.remaining()) {
                    throw corrupt(file, bytes, "byte " + at, "a preprocessing of " + Integer.toUnsignedString(length)
                            + " bytes does not fit the " + b.remaining() + " bytes left");
                }
                preprocessing = new byte[length];
                b.get(preprocessing);
            }
            long count = b.getLong();
            if (valueBytes != 4 && valueBytes != 8) {
                throw corrupt(file, bytes, "byte 8", "value type " + valueBytes + " is neither 4 (float32) nor 8 (float64)");
            }
            long expected = (long) b.position() + count * valueBytes + 4;
            if (count < 0 || count > Integer.MAX_VALUE || expected != bytes.length) {
                throw new FileFormatException(file, "", "the file is " + bytes.length + " bytes, but its header describes "
                        + (count < 0 || count > Integer.MAX_VALUE ? "an impossible " + count + " weights" : expected + " bytes")
                        + ": it is truncated or corrupted");
            }
            checkCrc(file, bytes);
            if (bias != 0 && bias != 1) {
                throw new FileFormatException(file, "byte 6", "bias flag " + bias + " is neither 0 nor 1");
            }
            Network network;
            try {
                network = Network.builder(units).activations(activations).bias(bias == 1)
                        .cost(cost(file, cost)).build();
            } catch (IllegalArgumentException e) {
                throw new FileFormatException(file, "header", "invalid network: " + e.getMessage());
            }
            if (count != network.parameterCount()) {
                throw new FileFormatException(file, "header", "the file holds " + count + " weights, but the network "
                        + network + " has " + network.parameterCount());
            }
            double[] weights = new double[(int) count];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = valueBytes == 4 ? b.getFloat() : b.getDouble();
                if (!Double.isFinite(weights[i])) {
                    throw new FileFormatException(file, "weight " + i, "is " + weights[i] + "; weights must be finite");
                }
            }
            Preprocessing p = null;
            if (preprocessing != null) {
                try {
                    p = Preprocessing.fromBytes(preprocessing);
                } catch (IllegalArgumentException e) {
                    throw new FileFormatException(file, "preprocessing", e.getMessage());
                }
            }
            try {
                return new Model(Parameters.of(network, weights), provenance, p);
            } catch (IllegalArgumentException e) {
                throw new FileFormatException(file, "preprocessing", e.getMessage());
            }
        } catch (BufferUnderflowException e) {
            throw new FileFormatException(file, "", "the file ends early, at byte " + bytes.length + ": it is truncated");
        }
    }

    /** A header field is impossible: blame the checksum if it fails (a flipped byte), otherwise the field. */
    private static FileFormatException corrupt(Path file, byte[] bytes, String where, String problem)
            throws FileFormatException {
        checkCrc(file, bytes);
        return new FileFormatException(file, where, problem);
    }

    /** Appends the CRC32C of every byte written to {@code b} so far, which must fill it. */
    static void putCrc(ByteBuffer b) {
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
    }

    /** The last four bytes must be the CRC32C of the others. */
    static void checkCrc(Path file, byte[] bytes) throws FileFormatException {
        if (bytes.length < 4) {
            throw new FileFormatException(file, "", "the file is truncated");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != (int) crc.getValue()) {
            throw new FileFormatException(file, "", "checksum mismatch (CRC32C stored " + Integer.toHexString(stored)
                    + ", computed " + Long.toHexString(crc.getValue()) + "): the file is corrupted or truncated");
        }
    }

    private static String string(Path file, byte[] bytes, ByteBuffer b) throws FileFormatException {
        int at = b.position();
        int length = b.getInt();
        if (length < 0 || length > b.remaining()) {
            throw corrupt(file, bytes, "byte " + at, "a provenance string of " + Integer.toUnsignedString(length)
                    + " bytes does not fit the " + b.remaining() + " bytes left");
        }
        byte[] s = new byte[length];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static byte costCode(Cost cost) {
        return switch (cost) {
            case HALF_SSE -> 1;
            case CROSS_ENTROPY -> 2;
        };
    }

    private static Cost cost(Path file, int code) throws FileFormatException {
        return switch (code) {
            case 1 -> Cost.HALF_SSE;
            case 2 -> Cost.CROSS_ENTROPY;
            default -> throw new FileFormatException(file, "byte 7", "unknown cost code " + code);
        };
    }

    private static byte activationCode(Activation activation) {
        return switch (activation) {
            case SIGMOID -> 1;
            case TANH -> 2;
            case RELU -> 3;
            case IDENTITY -> 4;
            case SOFTMAX -> 5;
        };
    }

    private static Activation activation(Path file, byte[] bytes, int at, int code) throws FileFormatException {
        return switch (code) {
            case 1 -> Activation.SIGMOID;
            case 2 -> Activation.TANH;
            case 3 -> Activation.RELU;
            case 4 -> Activation.IDENTITY;
            case 5 -> Activation.SOFTMAX;
            default -> throw corrupt(file, bytes, "byte " + at, "unknown activation code " + code);
        };
    }
}
