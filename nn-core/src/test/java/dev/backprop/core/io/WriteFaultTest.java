package dev.backprop.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.backprop.core.Activation;
import dev.backprop.core.Network;
import dev.backprop.core.SeededRandom;
import dev.backprop.core.testing.RandomProblems;
import dev.backprop.core.train.TrainingPosition;
import java.io.BufferedReader;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes of models and checkpoints that fail part-way: the disk failing after any number of bytes, a process
 * killed mid-write, a file system that is really full. In every case the previous file stays intact and
 * loadable, and the error names the file.
 */
class WriteFaultTest {
    @TempDir
    Path dir;

    private static final Network NETWORK = Network.builder(4, 3, 2).hiddenActivation(Activation.TANH).softmaxCrossEntropy().build();

    private static Model model(long seed) {
        return new Model(RandomProblems.parameters(NETWORK, 0.5, seed), Map.of("seed", Long.toString(seed)));
    }

    /** A disk that takes {@code limit} bytes, then fails as a full one does. */
    private static OutputStream failingAfter(OutputStream out, long limit) {
        return new FilterOutputStream(out) {
            private long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                int n = (int) Math.min(len, limit - written);
                out.write(b, off, n);
                written += n;
                if (n < len) {
                    throw new IOException("No space left on device");
                }
            }
        };
    }

    @Test
    void aModelWriteFailingAtEveryByteLeavesThePreviousModel() throws IOException {
        Path file = dir.resolve("model.nnbp");
        ModelFile.write(file, model(1));
        byte[] before = Files.readAllBytes(file);
        byte[] next = ModelFile.encode(model(2), ModelFile.Precision.FLOAT64);
        for (int k = 0; k < next.length; k++) {
            long limit = k;
            IOException e = assertThrows(IOException.class,
                    () -> AtomicFiles.write(file, out -> out.write(next), out -> failingAfter(out, limit)));
            assertEquals(file + ": not written (No space left on device); the previous file is unchanged", e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file), "after " + k + " bytes");
            assertEquals(model(1), ModelFile.read(file));
            assertEquals(List.of(file), files(), "after " + k + " bytes");
        }
        // And the next write that succeeds does replace it.
        AtomicFiles.write(file, out -> out.write(next), out -> failingAfter(out, next.length + 1));
        assertEquals(model(2), ModelFile.read(file));
    }

    @Test
    void aCheckpointWriteFailingAnywhereLeavesThePreviousCheckpoint() throws IOException {
        Path file = dir.resolve("checkpoint.nnck");
        Network big = Network.builder(64, 48, 10).hiddenActivation(Activation.RELU).softmaxCrossEntropy().build();
        Model m = new Model(RandomProblems.parameters(big, 0.1, 3), Map.of());
        double[] state = m.parameters().values().clone();
        Checkpoint first = new Checkpoint(m, new TrainingPosition(2, 0, 10, 0.0, 5), 10, List.of(state, state));
        Checkpoint second = new Checkpoint(m, new TrainingPosition(3, 0, 20, 0.0, 6), 20, List.of(state, state));
        CheckpointFile.write(file, first);
        byte[] before = Files.readAllBytes(file);
        byte[] next = CheckpointFile.encode(second);
        SeededRandom random = new SeededRandom(11);
        for (int i = 0; i < 200; i++) {
            long limit = i < 100 ? i : random.nextInt(next.length);
            assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> out.write(next), out -> failingAfter(out, limit)));
            assertArrayEquals(before, Files.readAllBytes(file));
        }
        assertEquals(first.position(), CheckpointFile.read(file).position());
        assertEquals(List.of(file), files());
    }

    @Test
    void aProcessKilledMidWriteLeavesOneOfTheCompleteFiles() throws Exception {
        // Two checkpoints of ~6 MB each, so that a kill lands inside a write most of the time.
        Network big = Network.builder(784, 300, 10).hiddenActivation(Activation.RELU).softmaxCrossEntropy().build();
        byte[][] versions = new byte[2][];
        Path[] sources = new Path[2];
        for (int v = 0; v < 2; v++) {
            Model m = new Model(RandomProblems.parameters(big, 0.1, 10 + v), Map.of("version", Integer.toString(v)));
            double[] s = m.parameters().values().clone();
            versions[v] = CheckpointFile.encode(new Checkpoint(m, new TrainingPosition(v + 1, 0, v, 0.0, v), v, List.of(s, s)));
            sources[v] = Files.write(dir.resolve("version-" + v), versions[v]);
        }
        Path target = Files.createDirectories(dir.resolve("run")).resolve("checkpoint.nnck");
        SeededRandom random = new SeededRandom(5);
        int kills = 12;
        int midWrite = 0;
        for (int k = 0; k < kills; k++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), WriteCheckpointsUntilKilled.class.getName(),
                    target.toString(), sources[0].toString(), sources[1].toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                assertEquals("wrote 0", lines.readLine());
                Thread.sleep(random.nextInt(300));
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block, no flush
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            try (Stream<Path> temps = Files.list(target.getParent())) {
                midWrite += temps.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")) ? 1 : 0;
            }
            byte[] now = Files.readAllBytes(target);
            assertTrue(Arrays.equals(now, versions[0]) || Arrays.equals(now, versions[1]), "after kill " + k);
            CheckpointFile.read(target);
        }
        // Most kills land inside a write (its temporary file is left): the test exercises what it claims to.
        assertTrue(midWrite >= kills / 3, midWrite + " of " + kills + " kills landed inside a write");
        // A killed writer may leave its temporary file; the next successful write removes every dead one.
        CheckpointFile.write(target, CheckpointFile.decode(target, versions[0]));
        try (Stream<Path> left = Files.list(target.getParent())) {
            assertEquals(List.of(target), left.toList());
        }
    }

    @Test
    void aReallyFullFileSystemGivesAClearErrorAndKeepsThePreviousModel() throws Exception {
        // A 256 KiB tmpfs: mounting needs root, which CI and the development machines have.
        Path mount = Files.createDirectories(dir.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString()) == 0, "cannot mount a tmpfs");
        try {
            Network wide = Network.builder(100, 100, 10).build();
            Model small = new Model(RandomProblems.parameters(wide, 0.1, 1), Map.of());
            Path file = mount.resolve("model.nnbp");
            ModelFile.write(file, small, ModelFile.Precision.FLOAT32); // 40 KB
            byte[] before = Files.readAllBytes(file);
            Network wider = Network.builder(300, 100, 10).build();
            Model large = new Model(RandomProblems.parameters(wider, 0.1, 2), Map.of()); // 242 KB: does not fit beside it
            IOException e = assertThrows(IOException.class, () -> ModelFile.write(file, large));
            assertEquals(file + ": not written (No space left on device); the previous file is unchanged", e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file));
            assertEquals(small.network(), ModelFile.read(file).network());
            try (Stream<Path> left = Files.list(mount)) {
                assertEquals(List.of(file), left.toList());
            }
        } finally {
            run("umount", mount.toString());
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
