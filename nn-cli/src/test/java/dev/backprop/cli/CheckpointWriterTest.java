package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.Activation;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.io.Checkpoint;
import dev.backprop.core.io.CheckpointDirectory;
import dev.backprop.core.io.CheckpointFile;
import dev.backprop.core.testing.RandomProblems;
import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.TrainingPosition;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints written on a thread of their own while training goes on. */
class CheckpointWriterTest {
    @TempDir
    Path dir;

    private static final Network NETWORK = RandomProblems.network(new int[] {5, 4, 3}, Activation.TANH, Activation.SOFTMAX,
            true);

    @Test
    void theCheckpointHoldsTheWeightsOfTheEpochsEndNotThoseOfLaterSteps() throws Exception {
        Path run = dir.resolve("run");
        Parameters params = RandomProblems.parameters(NETWORK, 0.5, 3);
        Optimizer opt = Optimizer.adam(0.01);
        opt.update(params.values(), new double[NETWORK.parameterCount()]); // state to snapshot
        double[] atEpochEnd = params.values().clone();
        double[] momentAtEpochEnd = opt.state().get(0).clone();
        try (CheckpointDirectory checkpoints = CheckpointDirectory.open(run)) {
            CheckpointWriter writer = new CheckpointWriter(checkpoints, params, Map.of("classes", "a,b,c"), null, opt, null);
            TrainingPosition next = new TrainingPosition(2, 0, 1, 0.0, 77);
            writer.writeInBackground(next);
            // the next epoch's steps change the weights and the optimizer's state while the file is written
            double[] g = new double[NETWORK.parameterCount()];
            java.util.Arrays.fill(g, 0.5);
            opt.update(params.values(), g);
            writer.write(next); // a stop at the same position: no second write
            writer.finish();
        }
        Checkpoint read = CheckpointFile.read(run.resolve(TrainCommand.CHECKPOINT));
        assertEquals(new TrainingPosition(2, 0, 1, 0.0, 77), read.position());
        assertArrayEquals(atEpochEnd, read.model().parameters().values(), 0.0);
        assertArrayEquals(momentAtEpochEnd, read.optimizerState().get(0), 0.0);
        assertFalse(Files.exists(run.resolve(TrainCommand.PREVIOUS_CHECKPOINT)), "written once, so nothing rotated");
    }

    @Test
    void aWriteThatFailsInTheBackgroundIsThrownByTheNextCallWithTheDirectoryNamed() throws Exception {
        Path run = dir.resolve("gone");
        Parameters params = RandomProblems.parameters(NETWORK, 0.5, 4);
        try (CheckpointDirectory checkpoints = CheckpointDirectory.open(run)) {
            CheckpointWriter writer = new CheckpointWriter(checkpoints, params, Map.of(), null, Optimizer.sgd(0.1), null);
            writer.writeInBackground(new TrainingPosition(2, 0, 1, 0.0, 1));
            writer.write(new TrainingPosition(2, 0, 1, 0.0, 1)); // waits for it
            assertTrue(Files.exists(run.resolve(TrainCommand.CHECKPOINT)));
            try (Stream<Path> files = Files.walk(run)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            writer.writeInBackground(new TrainingPosition(3, 0, 2, 0.0, 1)); // fails on the writer's thread
            UncheckedIOException e = assertThrows(UncheckedIOException.class, writer::finish);
            assertTrue(e.getCause().getMessage().startsWith("cannot write the checkpoint in " + run + ": "),
                    e.getCause().getMessage());
        }
    }
}
