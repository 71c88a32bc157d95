package dev.backprop.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.Activation;
import dev.backprop.core.Network;
import dev.backprop.core.data.FileFormatException;
import dev.backprop.core.data.DataFingerprint;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.testing.RandomProblems;
import dev.backprop.core.train.TrainingPosition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {
    @TempDir
    Path dir;

    private final Network network = Network.builder(4, 3, 2).hiddenActivation(Activation.RELU).softmaxCrossEntropy().build();
    private final Model model = new Model(RandomProblems.parameters(network, 0.7, 4), Map.of("optimizer", "adam", "lr", "0.001"));
    private final TrainingPosition position = new TrainingPosition(3, 17, 217, 12.5, 0x1234_5678_9abc_def0L);
    private final List<double[]> state = List.of(values(1), values(2));

    private double[] values(int seed) {
        return RandomProblems.parameters(network, 0.1, seed).values();
    }

    /** Version 1 is version 2 without the data flag before the checksum: the version 1 form of {@code two}. */
    private static byte[] versionOne(byte[] two) {
        ByteBuffer one = ByteBuffer.allocate(two.length - 1).order(ByteOrder.LITTLE_ENDIAN);
        one.put(two, 0, two.length - 5).putShort(4, (short) 1);
        CRC32C crc = new CRC32C();
        crc.update(one.array(), 0, one.position());
        one.putInt((int) crc.getValue());
        return one.array();
    }

    private Path writeDefault() throws IOException {
        Path file = dir.resolve("checkpoint.nnck");
        CheckpointFile.write(file, new Checkpoint(model, position, 217, state));
        return file;
    }

    @Test
    void writeThenReadGivesEveryFieldBackAndTheSameBytes() throws IOException {
        Path file = writeDefault();
        Checkpoint read = CheckpointFile.read(file);
        assertEquals(model, read.model());
        assertEquals(position, read.position());
        assertEquals(217, read.optimizerSteps());
        assertEquals(2, read.optimizerState().size());
        assertArrayEquals(state.get(0), read.optimizerState().get(0), 0.0);
        assertArrayEquals(state.get(1), read.optimizerState().get(1), 0.0);
        assertArrayEquals(Files.readAllBytes(file), CheckpointFile.encode(read));
    }

    @Test
    void everyFlippedByteAndEveryCutIsRefused() throws IOException {
        byte[] good = Files.readAllBytes(writeDefault());
        Corruptions.assertEveryFlippedByteRefused(good, 0x04, "c", CheckpointFile::decode);
        Corruptions.assertEveryCutRefused(good, "c", CheckpointFile::decode);
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> CheckpointFile.decode(Path.of("c"), Arrays.copyOf(good, good.length - 1)));
        assertTrue(e.getMessage().startsWith("c: checksum mismatch (CRC32C stored "), e.getMessage());
    }

    @Test
    void aModelFileOrANewerVersionIsRefusedWithAClearMessage() throws IOException {
        Path modelFile = dir.resolve("m.nnm");
        ModelFile.write(modelFile, model);
        FileFormatException e = assertThrows(FileFormatException.class, () -> CheckpointFile.read(modelFile));
        assertEquals(modelFile + ": byte 0: not a checkpoint: it does not start with \"NNCK\"", e.getMessage());

        byte[] bytes = Files.readAllBytes(writeDefault());
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(4, (short) 9);
        e = assertThrows(FileFormatException.class, () -> CheckpointFile.decode(Path.of("c"), bytes));
        assertEquals("c: byte 4: format version 9 is newer than this build reads (up to 2); use a newer nn", e.getMessage());
    }

    @Test
    void aStateOfTheWrongLengthCannotBeMade() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Checkpoint(model, position, 1, List.of(new double[3])));
        assertEquals("an optimizer state array has 3 values, but the model has " + network.parameterCount() + " weights",
                e.getMessage());
    }

    @Test
    void aFailedWriteLeavesThePreviousCheckpointLoadable() throws IOException {
        Path file = writeDefault();
        byte[] before = Files.readAllBytes(file);
        byte[] next = CheckpointFile.encode(new Checkpoint(model, new TrainingPosition(4, 0, 300, 0, 1), 300, state));
        for (int cut : new int[] {0, 1, 59, 60, next.length / 2, next.length - 1}) {
            assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
                out.write(next, 0, cut);
                throw new IOException("killed after " + cut + " bytes (simulated)");
            }));
            assertArrayEquals(before, Files.readAllBytes(file));
            assertEquals(position, CheckpointFile.read(file).position());
        }
    }

    @Test
    void theFingerprintOfTheDataIsKeptAndEveryByteOfItIsChecked() throws IOException {
        DataSet data = DataSet.classification(new float[] {0.5f, 1, 0, 0.25f, 1, 1, 0, 0}, 4, new int[] {1, 0}, 2);
        DataFingerprint print = DataFingerprint.of("/data/ünïcode", data);
        Path file = dir.resolve("with-data.nnck");
        CheckpointFile.write(file, new Checkpoint(model, position, 217, state, print));
        Checkpoint read = CheckpointFile.read(file);
        assertEquals(print, read.data().orElseThrow());
        assertArrayEquals(Files.readAllBytes(file), CheckpointFile.encode(read));
        byte[] good = Files.readAllBytes(file);
        for (int i = good.length - 40; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            assertThrows(FileFormatException.class, () -> CheckpointFile.decode(Path.of("c"), bad));
        }
    }

    @Test
    void aCheckpointOfFormatVersionOneStillLoadsWithoutAFingerprint() throws IOException {
        byte[] two = Files.readAllBytes(writeDefault());
        assertEquals(0, two[two.length - 5], "no fingerprint: the flag is 0");
        Checkpoint read = CheckpointFile.decode(Path.of("old.nnck"), versionOne(two));
        assertEquals(model, read.model());
        assertEquals(position, read.position());
        assertArrayEquals(state.get(1), read.optimizerState().get(1), 0.0);
        assertTrue(read.data().isEmpty());
        assertArrayEquals(two, CheckpointFile.encode(read), "written back as version 2");
    }

    @Test
    void aFingerprintAndAPreprocessingTogetherReadBackAndAVersionOneFileWithAPreprocessingStillLoads()
            throws IOException {
        dev.backprop.core.data.Table t = dev.backprop.core.data.Table.of(List.of("x", "c", "y"),
                List.of(new String[] {"1", "u", "a"}, new String[] {"2", "v", "b"}, new String[] {"4", "u", "b"}));
        dev.backprop.core.tabular.Preprocessing pre = dev.backprop.core.tabular.Preprocessing.fit(t, "y",
                dev.backprop.core.tabular.Task.CLASSIFICATION, false);
        Network table = Network.builder(pre.inputSize(), 3, 2).hiddenActivation(Activation.RELU).softmaxCrossEntropy().build();
        Model withPre = new Model(RandomProblems.parameters(table, 0.7, 5), Map.of("table.target", "y"), pre);
        List<double[]> tableState = List.of(RandomProblems.parameters(table, 0.1, 6).values());
        DataFingerprint print = DataFingerprint.of("iris.csv", pre.dataSet(t));
        Path file = dir.resolve("table.nnck");
        CheckpointFile.write(file, new Checkpoint(withPre, position, 9, tableState, print));
        byte[] two = Files.readAllBytes(file);
        assertEquals(2, two[4], "format version 2");
        Checkpoint read = CheckpointFile.read(file);
        assertEquals(withPre, read.model());
        assertEquals(pre, read.model().preprocessing().orElseThrow());
        assertEquals(print, read.data().orElseThrow());
        assertEquals(position, read.position());
        assertEquals(9, read.optimizerSteps());
        assertArrayEquals(tableState.get(0), read.optimizerState().get(0), 0.0);
        assertArrayEquals(two, CheckpointFile.encode(read));

        // A version 1 checkpoint (no fingerprint) may already hold a model with a preprocessing: nn train wrote
        // such files for tables before the fingerprint existed.
        CheckpointFile.write(file, new Checkpoint(withPre, position, 9, tableState));
        byte[] noData = Files.readAllBytes(file);
        Checkpoint old = CheckpointFile.decode(Path.of("old.nnck"), versionOne(noData));
        assertEquals(withPre, old.model());
        assertEquals(pre, old.model().preprocessing().orElseThrow());
        assertTrue(old.data().isEmpty());
        assertArrayEquals(noData, CheckpointFile.encode(old), "written back as version 2");
    }

    @Test
    void theFingerprintSaysWhatChanged() {
        DataSet data = DataSet.classification(new float[] {0.5f, 1, 0, 0.25f, 1, 1, 0, 0}, 4, new int[] {1, 0}, 2);
        DataFingerprint before = DataFingerprint.of("/d", data);
        assertEquals("", DataFingerprint.of("/d", data).changesSince(before));
        DataFingerprint otherValue = DataFingerprint.of("/d",
                DataSet.classification(new float[] {0.5f, 1, 0, 0.25f, 1, 1, 0, 0.5f}, 4, new int[] {1, 0}, 2));
        assertEquals(String.format("the same number of examples, but other values (CRC32C %08x, now %08x)", before.crc(),
                otherValue.crc()), otherValue.changesSince(before));
        DataFingerprint fewer = DataFingerprint.of("/e", data.slice(0, 1));
        assertEquals("it was read from /d, now from /e; it held 2 examples of 4 inputs and 2 targets, now 1 of 4 and 2",
                fewer.changesSince(before));
        assertEquals(String.format("2 examples of 4 inputs and 2 targets from /d (CRC32C %08x)", before.crc()),
                before.describe());
        DataFingerprint otherLabel = DataFingerprint.of("/d",
                DataSet.classification(new float[] {0.5f, 1, 0, 0.25f, 1, 1, 0, 0}, 4, new int[] {0, 0}, 2));
        assertTrue(otherLabel.crc() != before.crc(), "a changed label changes the CRC");
    }
}
