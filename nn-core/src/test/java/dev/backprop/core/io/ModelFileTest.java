package dev.backprop.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.Activation;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.data.FileFormatException;
import dev.backprop.core.testing.RandomProblems;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir
    Path dir;

    private final Network network = Network.builder(5, 7, 3).hiddenActivation(Activation.TANH).softmaxCrossEntropy().build();
    private final Model model = new Model(RandomProblems.parameters(network, 0.7, 4),
            Map.of("seed", "4", "data", "fashion-mnist ✓"));

    @Test
    void saveThenLoadGivesTheSameModelBytesAndPredictions() throws IOException {
        Path file = dir.resolve("m.nnm");
        ModelFile.write(file, model);
        Model loaded = ModelFile.read(file);
        assertEquals(model, loaded);
        assertEquals(model.provenance(), loaded.provenance());
        Path again = dir.resolve("again.nnm");
        ModelFile.write(again, loaded);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));

        DataSet data = RandomProblems.data(network, 6, 1, false);
        double[] before = new double[18];
        double[] after = new double[18];
        new ReferenceEngine().predict(model.parameters(), data, 0, 6, before);
        new ReferenceEngine().predict(loaded.parameters(), data, 0, 6, after);
        assertArrayEquals(before, after, 0.0);
    }

    @Test
    void float32FilesRoundEachWeightOnce() throws IOException {
        Path file = dir.resolve("m32.nnm");
        ModelFile.write(file, model, ModelFile.Precision.FLOAT32);
        double[] loaded = ModelFile.read(file).parameters().values();
        double[] original = model.parameters().values();
        for (int i = 0; i < original.length; i++) {
            assertEquals((float) original[i], loaded[i], 0.0);
        }
        assertTrue(Files.size(file) < Files.size(writeDefault()));
    }

    private Path writeDefault() throws IOException {
        Path file = dir.resolve("m64.nnm");
        ModelFile.write(file, model);
        return file;
    }

    @Test
    void everyFlippedByteIsRefused() throws IOException {
        byte[] good = Files.readAllBytes(writeDefault());
        Corruptions.assertEveryFlippedByteRefused(good, 0x10, "m", ModelFile::decode);
        ModelFile.decode(Path.of("m"), good);
    }

    @Test
    void aFlippedWeightByteIsAChecksumMismatch() throws IOException {
        byte[] bad = Files.readAllBytes(writeDefault());
        bad[bad.length - 20] ^= 1;
        FileFormatException e = assertThrows(FileFormatException.class, () -> ModelFile.decode(Path.of("m"), bad));
        assertTrue(e.getMessage().startsWith("m: checksum mismatch (CRC32C stored "), e.getMessage());
        assertTrue(e.getMessage().endsWith("): the file is corrupted or truncated"), e.getMessage());
    }

    @Test
    void everyCutIsRefused() throws IOException {
        byte[] good = Files.readAllBytes(writeDefault());
        Corruptions.assertEveryCutRefused(good, "m", ModelFile::decode);
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> ModelFile.decode(Path.of("m"), Arrays.copyOf(good, good.length - 8)));
        assertEquals("m: the file is " + (good.length - 8) + " bytes, but its header describes " + good.length
                + " bytes: it is truncated or corrupted", e.getMessage());
    }

    @Test
    void aNewerFormatVersionIsRefusedWithAClearMessage() throws IOException {
        byte[] bytes = Files.readAllBytes(writeDefault());
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(4, (short) 3);
        FileFormatException e = assertThrows(FileFormatException.class, () -> ModelFile.decode(Path.of("m"), bytes));
        assertEquals("m: byte 4: format version 3 is newer than this build reads (up to 2); use a newer nn", e.getMessage());
    }

    @Test
    void aFileThatIsNotAModelSaysSo() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello, world");
        FileFormatException e = assertThrows(FileFormatException.class, () -> ModelFile.read(text));
        assertEquals(text + ": byte 0: not a model file: it does not start with \"NNBP\"", e.getMessage());
    }

    @Test
    void aValidChecksumOverAnInvalidNetworkIsStillRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(writeDefault());
        // Make the output activation sigmoid while the cost stays cross-entropy, and re-seal the checksum.
        int activationOffset = 14 + 4 * 3 + 1;
        bytes[activationOffset] = 1;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 4, (int) crc.getValue());
        FileFormatException e = assertThrows(FileFormatException.class, () -> ModelFile.decode(Path.of("m"), bytes));
        assertEquals("m: header: invalid network: the cross-entropy cost needs a softmax output layer, not sigmoid",
                e.getMessage());
    }

    @Test
    void aFailedWriteLeavesThePreviousModelIntactAndNoTemporaryFile() throws IOException {
        Path file = writeDefault();
        byte[] before = Files.readAllBytes(file);
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(new byte[] {1, 2, 3});
            throw new IOException("disk full (simulated)");
        }));
        assertEquals(file + ": not written (disk full (simulated)); the previous file is unchanged", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(Model.class, ModelFile.read(file).getClass());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "a temporary file was left behind");
        }
    }

    @Test
    void provenanceThatUtf8CannotCarryIsRefusedWithThePlaceOfTheUnpairedSurrogate() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Model(model.parameters(), Map.of("note", "a\ud83d\ude00b\ud83dc")));
        assertEquals("provenance value of note has an unpaired surrogate at index 4; it is not valid Unicode text",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Model(model.parameters(), Map.of("\ude00", "x")));
        assertEquals("provenance key has an unpaired surrogate at index 0; it is not valid Unicode text", e.getMessage());
        // Halves of one pair split between key and value: each half is refused, though joined they would be valid.
        e = assertThrows(IllegalArgumentException.class, () -> new Model(model.parameters(), Map.of("k\ud83d", "\ude00")));
        assertEquals("provenance key has an unpaired surrogate at index 1; it is not valid Unicode text", e.getMessage());
    }

    @Test
    void parametersOfAModelAreACopy() {
        Parameters p = model.parameters();
        p.values()[0] += 1;
        assertEquals(model.parameters().values()[0] + 1, p.values()[0], 0.0);
    }

    @Test
    void readsAFileOfFormatVersion1WrittenBeforeVersion2Existed() throws IOException, java.net.URISyntaxException {
        Path file = Path.of(ModelFileTest.class.getResource("model-format-1.nnbp").toURI());
        Model model = ModelFile.read(file);
        assertEquals("3-4-2", model.network().units(0) + "-" + model.network().units(1) + "-" + model.network().units(2));
        assertEquals(Map.of("classes", "no,yes", "train.seed", "7"), model.provenance());
        assertEquals(-0.2039956666727203, model.parameters().values()[1], 0.0);
        assertEquals(0.5146439645299252, model.parameters().values()[25], 0.0);
        assertTrue(model.preprocessing().isEmpty());
        // without a preprocessing, today's writer gives the very same bytes
        assertArrayEquals(Files.readAllBytes(file), ModelFile.encode(model, ModelFile.Precision.FLOAT64));
    }

    @Test
    void aModelWithAPreprocessingIsVersion2AndReadsBackEqual() throws IOException {
        dev.backprop.core.data.Table t = dev.backprop.core.data.Table.of(java.util.List.of("x", "c", "y"),
                java.util.List.of(new String[] {"1", "u", "a"}, new String[] {"2", "v", "b"}));
        dev.backprop.core.tabular.Preprocessing p = dev.backprop.core.tabular.Preprocessing.fit(t, "y",
                dev.backprop.core.tabular.Task.CLASSIFICATION, false);
        Network network = Network.builder(3, 2).softmaxCrossEntropy().build();
        Model model = new Model(Parameters.zeros(network), Map.of("k", "v"), p);
        byte[] bytes = ModelFile.encode(model, ModelFile.Precision.FLOAT64);
        assertEquals(2, bytes[4]);
        Model back = ModelFile.decode(dir.resolve("m.nnbp"), bytes);
        assertEquals(model, back);
        assertEquals(p, back.preprocessing().orElseThrow());
        assertThrows(IllegalArgumentException.class,
                () -> new Model(Parameters.zeros(Network.builder(4, 2).softmaxCrossEntropy().build()), Map.of(), p));
    }
}
