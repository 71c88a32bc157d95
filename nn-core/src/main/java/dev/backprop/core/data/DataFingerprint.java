package dev.backprop.core.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * What a training run was trained on, so that a resumed run can tell whether its data is still the same:
 * where the data came from, the shape of the set, and a CRC32C of every input (as float32) and target, row
 * after row. Two sets with the same fingerprint are, but for a 2<sup>-32</sup> chance, the same examples
 * in the same order.
 */
public record DataFingerprint(String source, int examples, int inputs, int targets, int crc) {
    private static final int ROWS_AT_ONCE = 256;

    public DataFingerprint {
        Objects.requireNonNull(source, "source");
    }

    /** The fingerprint of {@code data}, which came from {@code source} (an absolute path, or a name). */
    public static DataFingerprint of(String source, DataSet data) {
        CRC32C crc = new CRC32C();
        int n = data.inputSize() + data.targetSize();
        float[] rows = new float[ROWS_AT_ONCE * n];
        ByteBuffer bytes = ByteBuffer.allocate(rows.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        float[] inputs = new float[ROWS_AT_ONCE * data.inputSize()];
        float[] targets = new float[ROWS_AT_ONCE * data.targetSize()];
        for (int from = 0; from < data.size(); from += ROWS_AT_ONCE) {
            int to = Math.min(data.size(), from + ROWS_AT_ONCE);
            data.readInputs(from, to, inputs, 0);
            data.readTargets(from, to, targets, 0);
            bytes.clear();
            bytes.asFloatBuffer().put(inputs, 0, (to - from) * data.inputSize()).put(targets, 0, (to - from) * data.targetSize());
            bytes.limit((to - from) * n * Float.BYTES);
            crc.update(bytes);
        }
        return new DataFingerprint(source, data.size(), data.inputSize(), data.targetSize(), (int) crc.getValue());
    }

    /** "4,000 examples of 784 inputs and 10 targets from /data/fmnist (CRC32C 1a2b3c4d)". */
    public String describe() {
        return String.format(Locale.ROOT, "%,d examples of %d inputs and %d targets from %s (CRC32C %08x)", examples,
                inputs, targets, source, crc);
    }

    /** What differs from {@code earlier}, in words; empty when nothing does. */
    public String changesSince(DataFingerprint earlier) {
        StringBuilder s = new StringBuilder();
        if (!source.equals(earlier.source)) {
            s.append("it was read from ").append(earlier.source).append(", now from ").append(source);
        }
        if (examples != earlier.examples || inputs != earlier.inputs || targets != earlier.targets) {
            s.append(s.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT,
                    "it held %,d examples of %d inputs and %d targets, now %,d of %d and %d", earlier.examples,
                    earlier.inputs, earlier.targets, examples, inputs, targets));
        } else if (crc != earlier.crc) {
            s.append(s.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT,
                    "the same number of examples, but other values (CRC32C %08x, now %08x)", earlier.crc, crc));
        }
        return s.toString();
    }
}
