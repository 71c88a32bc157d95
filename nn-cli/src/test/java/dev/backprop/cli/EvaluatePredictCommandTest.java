package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void imagesAreMeasuredBeforeTheyAreDecodedAndEveryFailureNamesTheFile() throws IOException {
        String nl = System.lineSeparator();
        // 68 bytes whose header says 46000 x 46000: refused before anything that size is allocated.
        Path huge = Files.write(dir.resolve("huge.png"), pngHeader(46000, 46000, 8, 2));
        CliRunner r = CliRunner.run("predict", "--model", modelFile.toString(), "--input", huge.toString());
        assertEquals(1, r.exitCode());
        assertEquals("nn predict: " + huge + ": header: the image is 46000 × 46000 pixels (2116.0 megapixels), more than "
                + "the 64 megapixels nn predict decodes; scale it down first" + nl, r.err());
        // RGBA with 16 bits a sample, which the JDK's decoder fails on with a bare "Invalid scanline stride".
        Path deep = Files.write(dir.resolve("deep.png"), pngHeader(30000, 30000, 16, 6));
        r = CliRunner.run("predict", "--model", modelFile.toString(), "--input", deep.toString());
        assertEquals("nn predict: " + deep + ": header: the image is 30000 × 30000 pixels (900.0 megapixels), more than "
                + "the 64 megapixels nn predict decodes; scale it down first" + nl, r.err());

        BufferedImage photo = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64 * 64; i++) {
            photo.setRGB(i % 64, i / 64, i * 2654435761L > 0 ? 0xffffff : (int) (i * 2654435761L));
        }
        Path whole = dir.resolve("whole.png");
        ImageIO.write(photo, "png", whole.toFile());
        byte[] bytes = Files.readAllBytes(whole);
        Path truncated = Files.write(dir.resolve("truncated.png"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        r = CliRunner.run("predict", "--model", modelFile.toString(), "--input", truncated.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("nn predict: " + truncated + ": cannot be decoded as PNG ("), r.err());
        assertTrue(r.err().endsWith("): it is damaged or truncated" + nl), r.err());

        Path jpeg = Files.write(dir.resolve("cut.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16});
        r = CliRunner.run("predict", "--model", modelFile.toString(), "--input", jpeg.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("nn predict: " + jpeg + ": cannot be decoded as JPEG ("), r.err());
    }

    /** The signature, an IHDR chunk and an IEND chunk: a PNG that says how large it is and holds no pixels. */
    private static byte[] pngHeader(int width, int height, int bitDepth, int colourType) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        int start = b.position();
        b.putInt(13).put(new byte[] {'I', 'H', 'D', 'R'}).putInt(width).putInt(height).put((byte) bitDepth)
                .put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), start + 4, 17);
        b.putInt((int) crc.getValue());
        b.putInt(0).put(new byte[] {'I', 'E', 'N', 'D'}).putInt(0xae426082);
        return b.array();
    }

    @Test
    void aCsvValueBeyondFloatRangeIsRefusedAndAByteOrderMarkIsSkipped() throws IOException {
        String row = "0," .repeat(783);
        Path big = Files.writeString(dir.resolve("big.csv"), row + "1e39\n");
        CliRunner r = CliRunner.run("predict", "--model", modelFile.toString(), "--input", big.toString());
        assertEquals(1, r.exitCode());
        assertEquals("nn predict: " + big + ": line 1, field 784: 1e39 is out of the range of a float, in which inputs "
                + "to predict are kept" + System.lineSeparator(), r.err());
        Path marked = Files.writeString(dir.resolve("marked.csv"), "\uFEFF" + row + "0\n");
        r = CliRunner.run("predict", "--model", modelFile.toString(), "--input", marked.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(ROW.matcher(r.out().split("\\R")[1]).matches(), r.out());
    }

    @Test
    void aDirectoryAsTheModelNamesTheFileMeantAndHalfSseOutputsAreNotCalledProbabilities() throws IOException {
        Path run = modelFile.getParent();
        CliRunner r = CliRunner.run("predict", "--model", run.toString(), "--input", "x.csv");
        assertEquals(1, r.exitCode());
        assertEquals("nn predict: " + run + ": is a directory; --model wants a model file, such as " + modelFile + " in it"
                + System.lineSeparator(), r.err());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        r = CliRunner.run("evaluate", "--model", empty.toString());
        assertEquals("nn evaluate: " + empty + ": is a directory; --model wants a model file (model.nnbp, as nn train "
                + "writes it), and there is none in it" + System.lineSeparator(), r.err());

        Path sse = dir.resolve("sse");
        assertEquals(0, CliRunner.run("train", "--data", "sample", "--hidden", "8", "--epochs", "1", "--cost", "half-sse",
                "--out", sse.toString()).exitCode());
        Path csv = Files.writeString(dir.resolve("one.csv"), "0.5,".repeat(783) + "0.5\n");
        r = CliRunner.run("predict", "--model", sse.resolve(TrainCommand.MODEL).toString(), "--input", csv.toString());
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().split("\\R");
        assertEquals("example  predicted        out       out0   out1   out2   out3   out4   out5   out6   out7   out8   out9",
                lines[0]);
        assertEquals("out: the output units' values (sigmoid, trained with half-sse); they are not probabilities",
                lines[lines.length - 1]);
        r = CliRunner.run("predict", "--model", modelFile.toString(), "--input", csv.toString());
        assertTrue(r.out().startsWith("example  predicted        p           p0     p1"), r.out());
        assertFalse(r.out().contains("not probabilities"), r.out());
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
