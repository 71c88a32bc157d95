package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.ReferenceEngine;
import dev.backprop.core.data.TableFile;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.tabular.Preprocessing;
import dev.backprop.core.tabular.TableEvaluation;
import dev.backprop.core.tabular.TargetEncoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nn train, evaluate, predict and info on tables: the shipped iris and tables made here. */
class TableCommandsTest {
    private static final Path IRIS = Path.of("..", "data", "examples", "iris.csv");

    @TempDir
    Path dir;

    @Test
    void trainsIrisSaysWhatItDidAndEvaluatesPredictsAndDescribesTheModel() throws IOException {
        Path out = dir.resolve("iris");
        CliRunner r = CliRunner.run("train", "--data", IRIS.toString(), "--target", "species", "--epochs", "40",
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("data: the table " + IRIS + " (150 rows, 5 columns)", lines.get(0));
        assertEquals("task: classification, the target 'species' holds text (3 distinct values)", lines.get(1));
        assertEquals("columns:", lines.get(2));
        assertTrue(lines.get(3).startsWith("  sepal_length: number, standardized (mean "), lines.get(3));
        assertEquals("  target 'species', 3 classes: setosa, versicolor, virginica", lines.get(7));
        assertEquals("network: 4-64-3 relu, softmax + cross-entropy, 515 weights", lines.get(8));
        assertTrue(r.out().contains("rows: 108 for training, 12 for validation, 30 for the final test"), r.out());
        Matcher m = Pattern.compile("test accuracy (0\\.\\d{4}|1\\.0000) on 30 rows").matcher(r.out());
        assertTrue(m.find(), r.out());
        double printed = Double.parseDouble(m.group(1));
        assertTrue(printed >= 0.85, "iris is nearly separable; got " + printed);

        // nn evaluate on every row agrees with the reference engine on the model's own preprocessing
        Path model = out.resolve(TrainCommand.MODEL);
        Model loaded = ModelFile.read(model);
        Preprocessing pre = loaded.preprocessing().orElseThrow();
        TableEvaluation reference = TableEvaluation.of(new ReferenceEngine(), loaded.parameters(),
                pre.dataSet(TableFile.read(IRIS)), pre);
        CliRunner evaluate = CliRunner.run("evaluate", "--model", model.toString(), "--data", IRIS.toString());
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        assertTrue(evaluate.out().contains(String.format(Locale.ROOT, "accuracy %.4f (", reference.headline())),
                evaluate.out() + " vs " + reference.report());
        assertTrue(evaluate.out().contains("class       precision  recall      F1  rows"), evaluate.out());
        assertTrue(evaluate.out().contains("log loss "), evaluate.out());

        // nn predict: columns matched by name in another order, the target absent
        Path reordered = Files.writeString(dir.resolve("new.csv"),
                "petal_width,note,petal_length,sepal_width,sepal_length\n0.2,x,1.4,3.5,5.1\n2.3,y,5.4,3.1,6.9\n");
        Path predictions = dir.resolve("predictions.csv");
        CliRunner predict = CliRunner.run("predict", "--model", model.toString(), "--input", reordered.toString(),
                "--output", predictions.toString());
        assertEquals(0, predict.exitCode(), predict.err());
        List<String> rows = Files.readAllLines(predictions);
        assertEquals("species,p(setosa),p(versicolor),p(virginica)", rows.get(0));
        assertEquals(3, rows.size());
        assertTrue(rows.get(1).startsWith("setosa,"), rows.get(1));
        assertTrue(rows.get(2).startsWith("virginica,"), rows.get(2));
        String[] p = rows.get(1).split(",");
        assertEquals(1.0, Double.parseDouble(p[1]) + Double.parseDouble(p[2]) + Double.parseDouble(p[3]), 1e-5);

        CliRunner info = CliRunner.run("info", "--model", model.toString());
        assertEquals(0, info.exitCode(), info.err());
        assertTrue(info.out().contains("network: 4-64-3 relu, softmax + cross-entropy, 515 weights"), info.out());
        assertTrue(info.out().contains("target: 'species', 3 classes: setosa, versicolor, virginica"), info.out());
        assertTrue(info.out().contains("  train.data = " + IRIS), info.out());
        assertTrue(info.out().contains("  test.accuracy = " + loaded.provenance().get("test.accuracy")), info.out());
    }

    /** y = 3·a − 2·b + 10 (plus a little noise), a text column that matters, and a constant one. */
    private Path regressionTable(String name, int rows, long seed) throws IOException {
        StringBuilder s = new StringBuilder("\uFEFFa,b,kind,unit,y\r\n");
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < rows; i++) {
            double a = random.nextDouble() * 4;
            double b = random.nextDouble() * 2;
            boolean up = random.nextBoolean();
            double y = 3 * a - 2 * b + 10 + (up ? 5 : 0) + 0.05 * random.nextGaussian();
            s.append(String.format(Locale.ROOT, "%.4f,%.4f,%s,\"kg, dry\",%.4f\r\n", a, b, up ? "\"up, high\"" : "down", y));
        }
        return Files.writeString(dir.resolve(name), s.toString());
    }

    @Test
    void aRegressionReportsInTheTargetsUnitsAndEvaluateAgrees() throws IOException {
        Path train = regressionTable("train.csv", 300, 1);
        Path test = regressionTable("test.csv", 60, 2);
        Path out = dir.resolve("reg");
        CliRunner r = CliRunner.run("train", "--data", train.toString(), "--target", "y", "--test", test.toString(),
                "--epochs", "60", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("task: regression, the target 'y' holds numbers that are not whole, such as "), r.out());
        assertTrue(r.out().contains("  kind: text, one-hot over 2 categories (down, up, high)"), r.out());
        assertTrue(r.out().contains("  unit: dropped: constant, every training row holds 'kg, dry'"), r.out());
        assertTrue(r.out().contains("network: 4-64-1 relu, identity + half-sse, 385 weights"), r.out());
        assertTrue(r.out().contains("rows: 270 for training, 30 for validation, 60 for the final test"), r.out());
        Matcher m = Pattern.compile("test RMSE (\\d+\\.\\d{4}) on 60 rows").matcher(r.out());
        assertTrue(m.find(), r.out());
        double rmse = Double.parseDouble(m.group(1));
        // the target's deviation is about 4; a fitted network is far below it
        assertTrue(rmse < 0.8, "RMSE " + rmse);

        Model loaded = ModelFile.read(out.resolve(TrainCommand.MODEL));
        Preprocessing pre = loaded.preprocessing().orElseThrow();
        TargetEncoding.Scaled scaled = (TargetEncoding.Scaled) pre.target();
        double[] actual = pre.targetValues(TableFile.read(test));
        double[] outputs = TableEvaluation.outputs(new ReferenceEngine(), loaded.parameters(),
                pre.dataSet(TableFile.read(test)));
        double squares = 0;
        for (int i = 0; i < actual.length; i++) {
            squares += Math.pow(scaled.value(outputs[i]) - actual[i], 2);
        }
        assertEquals(Math.sqrt(squares / actual.length), rmse, 1e-3);
        CliRunner evaluate = CliRunner.run("evaluate", "--model", out.resolve(TrainCommand.MODEL).toString(), "--data",
                test.toString());
        Matcher e = Pattern.compile("RMSE (\\S+)  MAE (\\S+)  R² (\\S+)  \\(60 rows, 'y' in its own units\\)").matcher(evaluate.out());
        assertTrue(e.find(), evaluate.out());
        assertEquals(Math.sqrt(squares / actual.length), Double.parseDouble(e.group(1)), 1e-3);
        assertTrue(evaluate.out().contains("R² 0.9"), evaluate.out());

        // an unseen category is all zeros, noted once per column
        Path unseen = Files.writeString(dir.resolve("unseen.csv"), "a,b,kind\n1,1,sideways\n2,1,sideways\n");
        CliRunner predict = CliRunner.run("predict", "--model", out.resolve(TrainCommand.MODEL).toString(), "--input",
                unseen.toString());
        assertEquals(0, predict.exitCode(), predict.err());
        assertEquals("note: column 'kind' has 2 values that training never saw; they are encoded as all zeros"
                + System.lineSeparator(), predict.err());
        assertEquals(3, predict.out().lines().count(), predict.out());
        assertEquals("y", predict.out().lines().findFirst().orElseThrow());
    }

    @Test
    void badTablesAreRefusedWithTheFileLineAndColumn() throws IOException {
        Path missing = Files.writeString(dir.resolve("missing.csv"), "x,c,y\n1,a,p\n,b,q\n3,a,p\n4,b,q\n5,a,p\n");
        CliRunner r = CliRunner.run("train", "--data", missing.toString(), "--target", "y", "--test-fraction", "0.4",
                "--validation", "0", "--epochs", "1", "--out", dir.resolve("m").toString());
        assertEquals(1, r.exitCode());
        assertEquals("nn train: " + missing + ": line 3, column 1 'x': the value is missing; --impute mean fills missing "
                + "numbers with the training rows' mean" + System.lineSeparator(), r.err());
        CliRunner imputed = CliRunner.run("train", "--data", missing.toString(), "--target", "y", "--test-fraction", "0.4",
                "--validation", "0", "--epochs", "1", "--impute", "mean", "--out", dir.resolve("i").toString());
        assertEquals(0, imputed.exitCode(), imputed.err());
        assertTrue(imputed.out().contains("x: number, standardized (mean "), imputed.out());
        assertTrue(imputed.out().contains("missing values imputed with the mean"), imputed.out());

        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "x,y\n1,a\n2\n");
        assertEquals("nn train: " + ragged + ": line 3: expected 2 fields, one for each column of the header, found 1"
                + System.lineSeparator(), CliRunner.run("train", "--data", ragged.toString(), "--target", "y").err());
        Path header = Files.writeString(dir.resolve("header.csv"), "x,y\n");
        assertEquals("nn train: " + header + ": has a header but no rows: the data set would be empty"
                + System.lineSeparator(), CliRunner.run("train", "--data", header.toString(), "--target", "y").err());
        Path small = Files.writeString(dir.resolve("small.csv"), "x,y\n1,2\n");
        assertEquals("nn train: " + small + ": has no column 'z'; its columns are x, y" + System.lineSeparator(),
                CliRunner.run("train", "--data", small.toString(), "--target", "z").err());
        assertEquals("nn train: --target COLUMN is needed with a CSV --data: it names the column to predict"
                + System.lineSeparator(), CliRunner.run("train", "--data", header.toString()).err());
    }

    @Test
    void earlyStoppingKeepsTheBestEpochAndAResumedRunEndsWithTheSameBits() throws IOException {
        Path whole = dir.resolve("whole");
        String[] args = {"train", "--data", IRIS.toString(), "--target", "species", "--epochs", "200", "--lr", "0.01",
                "--schedule", "constant", "--patience", "3", "--out", whole.toString()};
        CliRunner r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), r.err());
        Matcher m = Pattern.compile("early stop after epoch (\\d+): no lower validation loss for 3 epochs; the model keeps "
                + "the weights of epoch (\\d+), whose validation loss (\\d\\.\\d{4}) was the lowest").matcher(r.out());
        assertTrue(m.find(), r.out());
        int last = Integer.parseInt(m.group(1));
        int best = Integer.parseInt(m.group(2));
        assertEquals(last - 3, best);
        List<String> metrics = Files.readAllLines(whole.resolve(Metrics.FILE));
        assertEquals(last + 1, metrics.size()); // the header and one row per epoch run
        double lowest = Double.POSITIVE_INFINITY;
        int at = 0;
        for (String row : metrics.subList(1, metrics.size())) {
            String[] f = row.split(",");
            if (Double.parseDouble(f[2]) < lowest) {
                lowest = Double.parseDouble(f[2]);
                at = Integer.parseInt(f[0]);
            }
        }
        assertEquals(best, at);
        Model model = ModelFile.read(whole.resolve(TrainCommand.MODEL));
        assertEquals(Integer.toString(best), model.provenance().get("train.best-epoch"));
        assertArrayEquals(ModelFile.read(whole.resolve(BestEpoch.FILE)).parameters().values(), model.parameters().values());

        // From the checkpoint of the epoch before the last, with the metrics and best weights as they were.
        Path copy = Files.createDirectories(dir.resolve("copy"));
        Files.copy(whole.resolve(TrainCommand.PREVIOUS_CHECKPOINT), copy.resolve(TrainCommand.CHECKPOINT));
        Files.copy(whole.resolve(Metrics.FILE), copy.resolve(Metrics.FILE));
        Files.copy(whole.resolve(BestEpoch.FILE), copy.resolve(BestEpoch.FILE));
        CliRunner resumed = CliRunner.run("train", "--resume", copy.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("(resuming at epoch " + last + ")"), resumed.out());
        assertTrue(resumed.out().contains(m.group()), resumed.out());
        assertArrayEquals(Files.readAllBytes(whole.resolve(TrainCommand.MODEL)), Files.readAllBytes(copy.resolve(TrainCommand.MODEL)));
    }

    @Test
    void aTablesCheckpointKeepsItsPreprocessingAndFingerprintAndChangedRowsAreRefusedOnResume() throws IOException {
        Path table = Files.copy(IRIS, dir.resolve("iris.csv"));
        Path run = dir.resolve("run");
        CliRunner r = CliRunner.run("train", "--data", table.toString(), "--target", "species", "--epochs", "2",
                "--out", run.toString());
        assertEquals(0, r.exitCode(), r.err());
        dev.backprop.core.io.Checkpoint checkpoint = dev.backprop.core.io.CheckpointFile.read(run.resolve(TrainCommand.CHECKPOINT));
        Model model = ModelFile.read(run.resolve(TrainCommand.MODEL));
        assertEquals(model.preprocessing().orElseThrow(), checkpoint.model().preprocessing().orElseThrow());
        assertEquals("species", checkpoint.model().provenance().get(TrainCommand.TARGET));
        var print = checkpoint.data().orElseThrow();
        assertEquals(table.toString(), print.source());
        assertEquals(150, print.examples()); // every row, the test rows too: they decide the split
        assertEquals(model.preprocessing().get().inputSize(), print.inputs());

        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(table));
        lines.set(1, lines.get(1).replaceFirst("^5\\.1,", "5.3,"));
        Files.write(table, lines);
        CliRunner changed = CliRunner.run("train", "--resume", run.toString(), "--epochs", "3");
        assertEquals(1, changed.exitCode(), changed.out());
        assertTrue(changed.err().startsWith("nn train: the training data changed since the checkpoint "
                + run.resolve(TrainCommand.CHECKPOINT) + ": the same number of examples, but other values"), changed.err());
        assertArrayEquals(Files.readAllBytes(run.resolve(TrainCommand.CHECKPOINT)),
                dev.backprop.core.io.CheckpointFile.encode(checkpoint), "the checkpoint is left as it was");
    }
}
