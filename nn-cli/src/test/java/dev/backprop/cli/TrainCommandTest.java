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
        assertEquals(0, CliRunner.run(args(whole, "--epochs", "4")).exitCode());
        // After epoch 4, checkpoint-previous.nnck is the state after epoch 3: continue from it in a copy.
        Path copy = Files.createDirectories(dir.resolve("copy"));
        Files.copy(whole.resolve(TrainCommand.PREVIOUS_CHECKPOINT), copy.resolve(TrainCommand.CHECKPOINT));
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

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args(parts, common)));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        StringBuilder printed = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                printed.append(line).append('\n');
                if (line.startsWith("epoch  2/12")) {
                    // what Ctrl-C sends; Process.destroy() would send SIGTERM and close the pipe being read
                    assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor());
                }
            }
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(TrainCommand.INTERRUPTED, child.exitValue(), printed.toString());
        assertTrue(printed.toString().contains("checkpoint written. Continue with: nn train --resume " + parts), printed.toString());
        assertFalse(Files.exists(parts.resolve(TrainCommand.MODEL)), "the stopped run must not have finished");
        Checkpoint stopped = CheckpointFile.read(parts.resolve(TrainCommand.CHECKPOINT));
        assertTrue(stopped.position().epoch() >= 3 && stopped.position().epoch() <= 12, stopped.position().toString());

        CliRunner resumed = CliRunner.run("train", "--resume", parts.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertArrayEquals(Files.readAllBytes(whole.resolve(TrainCommand.MODEL)), Files.readAllBytes(parts.resolve(TrainCommand.MODEL)));
        List<String> metrics = Files.readAllLines(parts.resolve(Metrics.FILE));
        assertEquals(13, metrics.size(), "one row per epoch, none twice: " + metrics);
    }

    @Test
    void aCorruptedCheckpointIsRefusedAndThePreviousOneStillResumes() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, CliRunner.run(args(run)).exitCode());
        Path latest = run.resolve(TrainCommand.CHECKPOINT);
        byte[] bytes = Files.readAllBytes(latest);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(latest, bytes);

        CliRunner refused = CliRunner.run("train", "--resume", run.toString());
        assertEquals(1, refused.exitCode());
        String previous = run.resolve(TrainCommand.PREVIOUS_CHECKPOINT).toString();
        assertTrue(refused.err().startsWith("nn train: " + latest + ": checksum mismatch (CRC32C stored "), refused.err());
        assertTrue(refused.err().endsWith("the file is corrupted or truncated. The previous checkpoint is intact (it "
                + "resumes at epoch 3): continue from it with --resume " + previous + System.lineSeparator()), refused.err());

        CliRunner fromPrevious = CliRunner.run("train", "--resume", previous);
        assertEquals(0, fromPrevious.exitCode(), fromPrevious.err());
        assertTrue(fromPrevious.out().contains("epoch 3/3"), fromPrevious.out());
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
