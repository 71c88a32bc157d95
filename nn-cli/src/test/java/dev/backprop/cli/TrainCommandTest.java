package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.ReferenceEngine;
import dev.backprop.core.io.Checkpoint;
import dev.backprop.core.io.CheckpointFile;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.train.ConfusionMatrix;
import java.io.BufferedReader;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** nn train on the bundled sample: small networks and few epochs, so each run takes about a second. */
class TrainCommandTest {
    private static final Pattern TEST_ACCURACY = Pattern.compile("test accuracy (0\\.\\d{4}) on 1,000 images");

    @TempDir
    Path dir;

    /** nn train on the sample with small defaults, each replaced by the same option in {@code more}. */
    /**
     * Trains into {@code whole} for {@code epochs} epochs, then copies its previous checkpoint (the state after
     * epoch {@code epochs - 1}) as {@code file} into a new directory {@code name}, which it returns.
     */
    private Path previousCheckpointOf(Path whole, int epochs, String name, String file) throws IOException {
        assertEquals(0, CliRunner.run(args(whole, "--epochs", Integer.toString(epochs))).exitCode());
        Path copy = Files.createDirectories(dir.resolve(name));
        Files.copy(whole.resolve(TrainCommand.PREVIOUS_CHECKPOINT), copy.resolve(file));
        return copy;
    }

    private static String[] args(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("train"));
        String[] defaults = {"--data", "sample", "--hidden", "32", "--epochs", "3", "--batch", "100", "--out", out.toString()};
        List<String> given = List.of(more);
        for (int i = 0; i < defaults.length; i += 2) {
            if (!given.contains(defaults[i])) {
                a.addAll(List.of(defaults[i], defaults[i + 1]));
            }
        }
        a.addAll(given);
        return a.toArray(new String[0]);
    }

    @Test
    void trainsTheSampleFarAboveChanceAndWritesEveryFile() throws IOException {
        Path out = dir.resolve("run");
        CliRunner r = CliRunner.run(args(out, "--threads", "2"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("data: the Fashion-MNIST sample inside nn (4,000 training and 1,000 test images)."),
                r.out());
        assertTrue(r.out().contains("network: 784-32-10 relu, softmax + cross-entropy, 25,450 weights"), r.out());
        assertTrue(r.out().contains("examples: 3,600 for training, 400 for validation, 1,000 for the final test"), r.out());
        assertTrue(r.out().contains("epoch 3/3  loss "), r.out());
        Matcher m = TEST_ACCURACY.matcher(r.out());
        assertTrue(m.find(), r.out());
        double printed = Double.parseDouble(m.group(1));
        assertTrue(printed > 0.6, "ten classes: chance is 0.1, and 3 epochs on the sample reach far more; got " + printed);

        // The model reloads, and the reference engine (double precision, one thread) agrees on the test set.
        Model model = ModelFile.read(out.resolve(TrainCommand.MODEL));
        double reference = ConfusionMatrix.evaluate(new ReferenceEngine(), model.parameters(), DataSource.of("sample").test())
                .accuracy();
        assertEquals(printed, reference, 0.005);
        assertEquals("adam", model.provenance().get("train.optimizer"));
        assertEquals("sample", model.provenance().get("train.data"));

        List<String> metrics = Files.readAllLines(out.resolve(Metrics.FILE));
        assertEquals(Metrics.HEADER, metrics.get(0));
        assertEquals(4, metrics.size());
        assertTrue(metrics.get(3).startsWith("3,"), metrics.get(3));
        byte[] png = Files.readAllBytes(out.resolve(LearningCurves.FILE));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        String evaluation = Files.readString(out.resolve(TrainCommand.EVALUATION));
        assertTrue(evaluation.contains("accuracy " + m.group(1)), evaluation);
        assertTrue(evaluation.contains("Ankle boot"), evaluation);
        assertEquals(4, CheckpointFile.read(out.resolve(TrainCommand.CHECKPOINT)).position().epoch());
        assertEquals(3, CheckpointFile.read(out.resolve(TrainCommand.PREVIOUS_CHECKPOINT)).position().epoch());
    }

    @Test
    void oneAndTwoThreadsGiveTheSameModelBytes() throws IOException {
        CliRunner one = CliRunner.run(args(dir.resolve("one"), "--threads", "1", "--batch", "300"));
        CliRunner two = CliRunner.run(args(dir.resolve("two"), "--threads", "2", "--batch", "300"));
        assertEquals(0, one.exitCode(), one.err());
        assertEquals(0, two.exitCode(), two.err());
        assertArrayEquals(Files.readAllBytes(dir.resolve("one").resolve(TrainCommand.MODEL)),
                Files.readAllBytes(dir.resolve("two").resolve(TrainCommand.MODEL)));
    }

    @Test
    void resumingFromTheCheckpointOfAnEarlierEpochEndsWithTheSameBits() throws IOException {
        Path whole = dir.resolve("whole");
        // After epoch 4, checkpoint-previous.nnck is the state after epoch 3: continue from it in a copy.
        Path copy = previousCheckpointOf(whole, 4, "copy", TrainCommand.CHECKPOINT);
        CliRunner r = CliRunner.run("train", "--resume", copy.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("(resuming at epoch 4)"), r.out());
        assertFalse(r.out().contains("epoch 3/4"), r.out());
        assertTrue(r.out().contains("epoch 4/4"), r.out());
        assertArrayEquals(Files.readAllBytes(whole.resolve(TrainCommand.MODEL)), Files.readAllBytes(copy.resolve(TrainCommand.MODEL)));
    }

    /**
     * A real Ctrl-C: a child JVM trains, gets SIGINT in the middle of the run, writes its checkpoint and exits; the resumed run ends with the bits of a run that
     * never stopped.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRunStoppedBySignalAndResumedEndsWithTheSameBits() throws Exception {
        Path whole = dir.resolve("whole");
        Path parts = dir.resolve("parts");
        String[] common = {"--epochs", "12", "--batch", "50", "--seed", "5"};
        assertEquals(0, CliRunner.run(args(whole, common)).exitCode());

        String printed = stopChild(parts, common, "epoch  2/12", 0, child -> {
            // While the child trains, the directory is its own: a second run there is refused, naming it.
            CliRunner second = CliRunner.run(args(parts, common));
            assertEquals(1, second.exitCode());
            assertEquals("nn train: " + parts + " is in use by another training run (process " + child.pid()
                    + "); wait for it to finish or choose another --out" + System.lineSeparator(), second.err());
            CliRunner resumed = CliRunner.run("train", "--resume", parts.toString());
            assertTrue(resumed.err().contains(" is in use by another training run (process " + child.pid()
                    + "); wait for it to finish"), resumed.err());
        });
        assertFalse(Files.exists(parts.resolve(TrainCommand.MODEL)), "the stopped run must not have finished");
        Checkpoint stopped = CheckpointFile.read(parts.resolve(TrainCommand.CHECKPOINT));
        assertTrue(stopped.position().epoch() >= 3 && stopped.position().epoch() <= 12, stopped.position().toString());
        assertTrue(printed.contains("checkpoint written to " + parts.resolve(TrainCommand.CHECKPOINT)
                + ". Continue with: nn train --resume " + parts), printed);

        CliRunner resumed = CliRunner.run("train", "--resume", parts.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertArrayEquals(Files.readAllBytes(whole.resolve(TrainCommand.MODEL)), Files.readAllBytes(parts.resolve(TrainCommand.MODEL)));
        List<String> metrics = Files.readAllLines(parts.resolve(Metrics.FILE));
        assertEquals(13, metrics.size(), "one row per epoch, none twice: " + metrics);
    }

    /**
     * Ctrl-C a few tens of milliseconds after an epoch's line, while the chart of that epoch is drawn: the run
     * still ends with the epoch's checkpoint and the line that says where it is.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void ctrlCWhileTheChartIsDrawnStillWritesTheCheckpointAndSaysWhere() throws Exception {
        for (int delay : new int[] {40, 5}) {
            Path parts = dir.resolve("chart-" + delay);
            String printed = stopChild(parts, new String[] {"--epochs", "12", "--batch", "300"}, "epoch  2/12", delay,
                    child -> { });
            Checkpoint stopped = CheckpointFile.read(parts.resolve(TrainCommand.CHECKPOINT));
            assertTrue(printed.contains("stopped at epoch " + stopped.position().epoch() + ", batch "
                    + stopped.position().batch() + "; checkpoint written to " + parts.resolve(TrainCommand.CHECKPOINT)
                    + ". Continue with: nn train --resume " + parts), printed);
            assertTrue(stopped.position().epoch() >= 3, printed);
        }
    }

    /**
     * What made Ctrl-C lose the epoch: a chart that cannot be written (there, a stream closed under it by the
     * JDK's ImageIO shutdown hook; here, a directory in the chart's place) ended the run before its checkpoint.
     * Now it is a note, the checkpoint is written and the run goes on; and ImageIO no longer writes through
     * the cache file that the hook closes.
     */
    @Test
    void aChartThatCannotBeWrittenIsANoteAndTheCheckpointIsStillWritten() throws IOException {
        Path run = dir.resolve("no-chart");
        Files.createDirectories(run.resolve(LearningCurves.FILE));
        Files.writeString(run.resolve(LearningCurves.FILE).resolve("in-the-way"), "x");
        CliRunner r = CliRunner.run(args(run, "--epochs", "2"));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("note: cannot draw " + run.resolve(LearningCurves.FILE) + " (java.io.IOException: "),
                r.out());
        assertEquals(3, CheckpointFile.read(run.resolve(TrainCommand.CHECKPOINT)).position().epoch());
        assertTrue(Files.exists(run.resolve(TrainCommand.MODEL)));
        assertFalse(javax.imageio.ImageIO.getUseCache(), "ImageIO must encode in memory, not through a cache file");
    }

    /**
     * Starts {@code nn train} in a child JVM, sends it SIGINT {@code delayMillis} after the line that starts
     * with {@code after} (running {@code whileRunning} first), and returns what it printed once it has exited
     * with the code of an interrupted run.
     */
    private static String stopChild(Path out, String[] common, String after, long delayMillis,
            java.util.function.Consumer<Process> whileRunning) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args(out, common)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder printed = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                printed.append(line).append('\n');
                if (line.startsWith(after)) {
                    whileRunning.accept(child);
                    Thread.sleep(delayMillis);
                    // what Ctrl-C sends; Process.destroy() would send SIGTERM and close the pipe being read
                    assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor());
                }
            }
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(TrainCommand.INTERRUPTED, child.exitValue(), printed.toString());
        return printed.toString();
    }

    @Test
    void aCorruptedCheckpointIsPassedOverForThePreviousOneWithANote() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, CliRunner.run(args(run)).exitCode());
        Files.delete(run.resolve(TrainCommand.MODEL));
        Path latest = run.resolve(TrainCommand.CHECKPOINT);
        byte[] bytes = Files.readAllBytes(latest);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(latest, bytes);
        String previous = run.resolve(TrainCommand.PREVIOUS_CHECKPOINT).toString();

        // Named as a file, the damaged checkpoint is refused, and the message names the one that reads.
        CliRunner refused = CliRunner.run("train", "--resume", latest.toString());
        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().startsWith("nn train: " + latest + ": checksum mismatch (CRC32C stored "), refused.err());
        assertTrue(refused.err().endsWith("the file is corrupted or truncated. The previous checkpoint is intact (it "
                + "resumes at epoch 3): continue from it with --resume " + previous + System.lineSeparator()), refused.err());

        // Named as the directory, the run picks the newest checkpoint that reads and says so.
        CliRunner fromPrevious = CliRunner.run("train", "--resume", run.toString());
        assertEquals(0, fromPrevious.exitCode(), fromPrevious.err());
        assertTrue(fromPrevious.out().contains(System.lineSeparator() + "note: " + latest + ": checksum mismatch (CRC32C "),
                fromPrevious.out());
        assertTrue(fromPrevious.out().contains("the file is corrupted or truncated; resuming from " + previous
                + " instead, the newest checkpoint that reads" + System.lineSeparator()), fromPrevious.out());
        assertTrue(fromPrevious.out().contains("(resuming at epoch 3)"), fromPrevious.out());
        assertTrue(fromPrevious.out().contains("epoch 3/3"), fromPrevious.out());
        assertEquals(3, CheckpointFile.read(run.resolve(TrainCommand.PREVIOUS_CHECKPOINT)).position().epoch(),
                "the good previous checkpoint was kept, not replaced by the damaged one");
        assertEquals(4, CheckpointFile.read(latest).position().epoch());
    }

    @Test
    void aDirectoryHoldingOnlyThePreviousCheckpointIsARunToResumeNotAnEmptyDirectory() throws IOException {
        Path whole = dir.resolve("whole");
        Path left = previousCheckpointOf(whole, 2, "left", TrainCommand.PREVIOUS_CHECKPOINT);
        byte[] only = Files.readAllBytes(left.resolve(TrainCommand.PREVIOUS_CHECKPOINT));

        CliRunner r = CliRunner.run(args(left, "--epochs", "2"));
        assertEquals(1, r.exitCode());
        assertEquals("nn train: " + left + " already holds a training run; continue it with --resume " + left
                + " or choose another --out" + System.lineSeparator(), r.err());
        assertArrayEquals(only, Files.readAllBytes(left.resolve(TrainCommand.PREVIOUS_CHECKPOINT)));

        r = CliRunner.run("train", "--resume", left.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("(resuming at epoch 2)"), r.out());
        assertArrayEquals(Files.readAllBytes(whole.resolve(TrainCommand.MODEL)), Files.readAllBytes(left.resolve(TrainCommand.MODEL)));
    }

    @Test
    void resumingAFinishedRunSaysItIsCompleteAndLeavesTheModelAlone() throws IOException {
        Path run = dir.resolve("finished");
        assertEquals(0, CliRunner.run(args(run)).exitCode());
        byte[] model = Files.readAllBytes(run.resolve(TrainCommand.MODEL));
        byte[] checkpoint = Files.readAllBytes(run.resolve(TrainCommand.CHECKPOINT));
        String nl = System.lineSeparator();
        CliRunner r = CliRunner.run("train", "--resume", run.toString(), "--epochs", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("the run in " + run + " is complete: it trained 3 epochs, more than --epochs 2, and "
                + run.resolve(TrainCommand.MODEL) + " is left as it is; to train longer, resume with --epochs above 3" + nl,
                r.out());
        r = CliRunner.run("train", "--resume", run.toString());
        assertEquals("the run in " + run + " is complete: it trained 3 epochs, and " + run.resolve(TrainCommand.MODEL)
                + " is left as it is; to train longer, resume with --epochs above 3" + nl, r.out());
        assertArrayEquals(model, Files.readAllBytes(run.resolve(TrainCommand.MODEL)));
        assertArrayEquals(checkpoint, Files.readAllBytes(run.resolve(TrainCommand.CHECKPOINT)));

        // Stopped after its last epoch, before the model was written: the checkpoint is past a smaller --epochs.
        Files.delete(run.resolve(TrainCommand.MODEL));
        r = CliRunner.run("train", "--resume", run.toString(), "--epochs", "2");
        assertEquals(1, r.exitCode());
        assertEquals("nn train: " + run.resolve(TrainCommand.CHECKPOINT) + " is at epoch 4, past --epochs 2; a run cannot "
                + "go back: resume with --epochs 3 or more" + nl, r.err());
    }

    @Test
    void resumingAfterTheTrainingDataChangedIsRefusedWithWhatChanged() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        for (String name : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte"}) {
            try (var in = new java.util.zip.GZIPInputStream(DataSource.class.getResourceAsStream(
                    "fashion-mnist-sample/" + name + ".gz"))) {
                Files.write(data.resolve(name), in.readAllBytes());
            }
        }
        Path run = dir.resolve("run");
        // Given relative to the working directory, the data is stored absolute.
        Path relative = Path.of("").toAbsolutePath().relativize(data);
        assertEquals(0, CliRunner.run(args(run, "--data", relative.toString(), "--epochs", "1")).exitCode());
        Checkpoint checkpoint = CheckpointFile.read(run.resolve(TrainCommand.CHECKPOINT));
        var print = checkpoint.data().orElseThrow();
        assertEquals(data.toString(), print.source());
        assertEquals(data.toString(), checkpoint.model().provenance().get("train.data"));
        assertEquals(4000, print.examples());
        Files.delete(run.resolve(TrainCommand.MODEL));

        Path images = data.resolve("train-images-idx3-ubyte");
        byte[] pixels = Files.readAllBytes(images);
        pixels[16 + 784 * 17 + 400] ^= 0x7f;
        Files.write(images, pixels);
        int changed = dev.backprop.core.data.DataFingerprint.of(data.toString(), DataSource.of(data.toString()).train()).crc();
        CliRunner r = CliRunner.run("train", "--resume", run.toString(), "--epochs", "2");
        assertEquals(1, r.exitCode());
        assertEquals(String.format("nn train: the training data changed since the checkpoint %s: the same number of "
                + "examples, but other values (CRC32C %08x, now %08x). The run was trained on 4,000 examples of 784 inputs "
                + "and 10 targets from %s (CRC32C %08x); resume it with that data, or start a new run with another --out",
                run.resolve(TrainCommand.CHECKPOINT), print.crc(), changed, data, print.crc()) + System.lineSeparator(),
                r.err());
    }

    @Test
    void badInputsEndWithAMessageAndTheRightExitCode() throws IOException {
        Path missing = dir.resolve("no-such-dir");
        CliRunner r = CliRunner.run("train", "--data", missing.toString());
        assertEquals(1, r.exitCode());
        assertEquals("nn train: " + missing + ": no such directory (--data wants a directory holding "
                + "train-images-idx3-ubyte.gz and the other three files of MNIST's layout, or the word 'sample')"
                + System.lineSeparator(), r.err());

        r = CliRunner.run(args(dir.resolve("a"), "--hidden", "64,x"));
        assertEquals(1, r.exitCode());
        assertEquals("nn train: --hidden wants layer sizes separated by commas, such as 256,128; got '64,x'"
                + System.lineSeparator(), r.err());

        r = CliRunner.run(args(dir.resolve("b"), "--optimizer", "rmsprop"));
        assertEquals(1, r.exitCode());
        assertEquals("nn train: unknown optimizer 'rmsprop'; expected sgd, momentum, nesterov or adam"
                + System.lineSeparator(), r.err());

        r = CliRunner.run(args(dir.resolve("c"), "--validation", "1.5"));
        assertEquals(1, r.exitCode());
        assertEquals("nn train: --validation must be a fraction in [0, 1), got 1.5" + System.lineSeparator(), r.err());

        r = CliRunner.run("train", "--learning-rate", "0.1");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("Unknown options: '--learning-rate', '0.1'"), r.err());

        Path done = dir.resolve("done");
        assertEquals(0, CliRunner.run(args(done, "--epochs", "1")).exitCode());
        r = CliRunner.run(args(done, "--epochs", "1"));
        assertEquals(1, r.exitCode());
        assertEquals("nn train: " + done + " already holds a training run; continue it with --resume " + done
                + " or choose another --out" + System.lineSeparator(), r.err());

        r = CliRunner.run("train", "--resume", done.toString(), "--lr", "0.5");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("--lr cannot be given with --resume: the run continues with the settings in its "
                + "checkpoint (only --epochs, --threads, --progress and --track-test may change)"), r.err());

        for (String threads : new String[] {"100000", "0", "-3"}) {
            r = CliRunner.run(args(dir.resolve("t"), "--threads", threads, "--data", missing.toString()));
            assertEquals(1, r.exitCode());
            assertEquals("nn train: --threads must be from 1 to 1024 (this machine has "
                    + Runtime.getRuntime().availableProcessors() + " processors), got " + threads + System.lineSeparator(),
                    r.err(), "checked before the data is looked for");
        }
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        r = CliRunner.run(args(file, "--data", missing.toString()));
        assertEquals(1, r.exitCode());
        assertEquals("nn train: " + file + ": is a file, not a directory" + System.lineSeparator(), r.err());

        r = CliRunner.run(args(dir.resolve("huge"), "--hidden", "600000"));
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("nn train: the network 784-600000-10 has 477,000,010 weights and needs about "), r.err());
        assertTrue(r.err().contains(" of memory to train (parameters, gradient sums, optimizer state, the engine's float "
                + "copies and buffers, the checkpoint), more than the "), r.err());
        assertTrue(r.err().matches("(?s).* heap this JVM may use; raise the limit with -Xmx \\(for nn: NN_JAVA_OPTS=-Xmx\\d+g\\) "
                + "or choose a smaller --hidden\\R"), r.err());
        assertFalse(Files.exists(dir.resolve("huge")), "a refused run leaves no directory behind");

        Path nowhere = dir.resolve("nowhere");
        r = CliRunner.run("train", "--resume", nowhere.toString());
        assertEquals(1, r.exitCode());
        assertEquals("nn train: " + nowhere + ": checkpoint not found" + System.lineSeparator(), r.err());
    }

    @Test
    void divergenceStopsWithAMessageThatSaysWhatToChange() {
        CliRunner r = CliRunner.run(args(dir.resolve("wild"), "--optimizer", "sgd", "--lr", "1e30"));
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("nn train: the cost became "), r.err());
        assertTrue(r.err().contains("with learning rate 1.0E30; lower the learning rate or scale the inputs."), r.err());
        assertFalse(Files.exists(dir.resolve("wild").resolve(TrainCommand.MODEL)));
    }

}
