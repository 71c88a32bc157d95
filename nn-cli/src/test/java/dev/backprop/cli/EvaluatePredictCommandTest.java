package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.ReferenceEngine;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.train.ConfusionMatrix;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nn evaluate and nn predict on a model trained once on the bundled sample. */
class EvaluatePredictCommandTest {
    /** example, "class name", p of the class, then the ten probabilities. */
    private static final Pattern ROW = Pattern.compile("(\\d+) +(\\d [^ ].*?) {2,}(\\d\\.\\d{4})  ((?:\\d\\.\\d{4} ?){10})");
    @TempDir
    static Path dir;

    private static Path modelFile;
    private static Model model;
    private static DataSet test;

    @BeforeAll
    static void trainOnce() throws IOException {
        Path out = dir.resolve("run");
        CliRunner r = CliRunner.run("train", "--data", "sample", "--hidden", "24", "--epochs", "2", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        modelFile = out.resolve(TrainCommand.MODEL);
        model = ModelFile.read(modelFile);
        test = DataSource.of("sample").test();
    }

    @Test
    void evaluatePrintsTheConfusionMatrixOfTheTestSet() throws IOException {
        CliRunner r = CliRunner.run("evaluate", "--model", modelFile.toString(), "--engine", "reference");
        assertEquals(0, r.exitCode(), r.err());
        ConfusionMatrix expected = ConfusionMatrix.evaluate(new ReferenceEngine(), model.parameters(), test);
        String nl = System.lineSeparator();
        assertEquals(modelFile + " on the test set of " + DataSource.of("sample").describe() + nl + nl
                + expected.report(DataSource.FASHION_CLASSES.toArray(new String[0])), r.out());
        assertTrue(r.out().contains("Ankle boot  "), r.out());
    }

    @Test
    void evaluateRefusesADataSetOfAnotherShape() throws IOException {
        Path other = Files.createDirectories(dir.resolve("tiny"));
        writeIdx(other.resolve("t10k-images-idx3-ubyte"), new int[] {2, 3, 3}, new byte[18]);
        writeIdx(other.resolve("t10k-labels-idx1-ubyte"), new int[] {2}, new byte[] {0, 1});
        CliRunner r = CliRunner.run("evaluate", "--model", modelFile.toString(), "--data", other.toString());
        assertEquals(1, r.exitCode());
        assertEquals("nn evaluate: " + modelFile + " is a 784-24-10 relu, softmax + cross-entropy network, but the IDX "
                + "files in " + other + " has 9 inputs and 10 classes" + System.lineSeparator(), r.err());
    }

    @Test
    void predictReadsIdxAndCsvAndPrintsEachClassWithItsProbabilities() throws IOException {
        Path images = dir.resolve("three-images.idx");
        byte[] pixels = new byte[3 * 784];
        double[] csvRows = new double[3 * 784];
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 784; k++) {
                double v = test.input(i, k);
                pixels[i * 784 + k] = (byte) Math.round(v * 255);
                csvRows[i * 784 + k] = Math.round(v * 255) / 255.0;
                csv.append(csvRows[i * 784 + k]).append(k < 783 ? "," : "\n");
            }
        }
        writeIdx(images, new int[] {3, 28, 28}, pixels);
        Path csvFile = Files.writeString(dir.resolve("three.csv"), csv);

        double[] expected = new double[30];
        new ReferenceEngine().predict(model.parameters(), DataSet.ofDoubles(csvRows, 784, new double[30], 10), 0, 3, expected);
        for (Path input : new Path[] {images, csvFile}) {
            CliRunner r = CliRunner.run("predict", "--model", modelFile.toString(), "--input", input.toString());
            assertEquals(0, r.exitCode(), r.err());
            String[] lines = r.out().split("\\R");
            assertEquals(5, lines.length, r.out());
            assertTrue(lines[0].startsWith("example  predicted"), lines[0]);
            for (int i = 0; i < 3; i++) {
                int best = ConfusionMatrix.argMax(expected, i * 10, 10);
                Matcher row = ROW.matcher(lines[i + 1]);
                assertTrue(row.matches(), lines[i + 1]);
                assertEquals(Integer.toString(i), row.group(1));
                assertEquals(best + " " + DataSource.FASHION_CLASSES.get(best), row.group(2));
                assertEquals(expected[i * 10 + best], Double.parseDouble(row.group(3)), 6e-5);
                String[] p = row.group(4).split(" ");
                assertEquals(10, p.length, lines[i + 1]);
                for (int c = 0; c < 10; c++) {
                    assertEquals(expected[i * 10 + c], Double.parseDouble(p[c]), 6e-5, "p" + c + " of example " + i);
                }
            }
            assertTrue(lines[4].startsWith("classes: 0 T-shirt/top, 1 Trouser, "), lines[4]);
        }
    }

    @Test
    void predictScalesAndInvertsAPhotoOfALightBackground() throws IOException {
        // Example 0 of the sample drawn at 56x56, dark on light as a product photo would be.
        BufferedImage photo = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
        double[] pixels = new double[784];
        for (int r = 0; r < 56; r++) {
            for (int c = 0; c < 56; c++) {
                double v = test.input(0, (r / 2) * 28 + c / 2);
                int grey = 255 - (int) Math.round(v * 255);
                photo.setRGB(c, r, grey << 16 | grey << 8 | grey);
                pixels[(r / 2) * 28 + c / 2] = v;
            }
        }
        Path png = dir.resolve("photo.png");
        ImageIO.write(photo, "png", png.toFile());
        double[] expected = new double[10];
        new ReferenceEngine().predict(model.parameters(), DataSet.ofDoubles(pixels, 784, new double[10], 10), 0, 1, expected);
        int best = ConfusionMatrix.argMax(expected, 0, 10);

        CliRunner r = CliRunner.run("predict", "--model", modelFile.toString(), "--input", png.toString());
        assertEquals(0, r.exitCode(), r.err());
        Matcher row = ROW.matcher(r.out().split("\\R")[1]);
        assertTrue(row.matches(), r.out());
        assertEquals(best + " " + DataSource.FASHION_CLASSES.get(best), row.group(2));
        // area-averaged scaling of 2x2 blocks of one grey gives the pixels back to within rounding
        assertEquals(expected[best], Double.parseDouble(row.group(3)), 0.01);
    }

    @Test
    void predictNamesWhatIsWrongWithItsInput() throws IOException {
        Path shortRow = Files.writeString(dir.resolve("short.csv"), "0.1,0.2,0.3\n");
        CliRunner r = CliRunner.run("predict", "--model", modelFile.toString(), "--input", shortRow.toString());
        assertEquals(1, r.exitCode());
        assertEquals("nn predict: " + shortRow + ": line 1: expected 784 inputs, found 3" + System.lineSeparator(), r.err());

        Path missing = dir.resolve("absent.png");
        r = CliRunner.run("predict", "--model", modelFile.toString(), "--input", missing.toString());
        assertEquals(1, r.exitCode());
        assertEquals("nn predict: " + missing + ": input file not found" + System.lineSeparator(), r.err());

        Path notAModel = Files.writeString(dir.resolve("model.txt"), "weights");
        r = CliRunner.run("predict", "--model", notAModel.toString(), "--input", shortRow.toString());
        assertEquals(1, r.exitCode());
        assertEquals("nn predict: " + notAModel + ": byte 0: not a model file: it does not start with \"NNBP\""
                + System.lineSeparator(), r.err());

        r = CliRunner.run("predict", "--model", modelFile.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("Missing required option: '--input=FILE'"), r.err());
    }

    private static void writeIdx(Path file, int[] dims, byte[] values) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 4 * dims.length + values.length);
        b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(values);
        Files.write(file, b.array());
    }
}
