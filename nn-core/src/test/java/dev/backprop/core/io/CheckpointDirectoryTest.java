package dev.backprop.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.Network;
import dev.backprop.core.data.FileFormatException;
import dev.backprop.core.testing.RandomProblems;
import dev.backprop.core.train.TrainingPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointDirectoryTest {
    @TempDir
    Path dir;

    private final Network network = Network.of(3, 2, 1);

    private Checkpoint at(int epoch) {
        return new Checkpoint(new Model(RandomProblems.parameters(network, 0.5, epoch), Map.of("epoch", "" + epoch)),
                new TrainingPosition(epoch, 0, 10L * epoch, 0, epoch), 10L * epoch, List.of());
    }

    @Test
    void theNewestAndThePreviousCheckpointAreKeptAndNoTemporaryFileIsLeft() throws IOException {
        Path run = dir.resolve("run");
        try (CheckpointDirectory d = CheckpointDirectory.open(run)) {
            for (int epoch = 1; epoch <= 4; epoch++) {
                d.write(at(epoch));
            }
        }
        assertArrayEquals(CheckpointFile.encode(at(4)), Files.readAllBytes(run.resolve(CheckpointDirectory.CHECKPOINT)));
        assertArrayEquals(CheckpointFile.encode(at(3)), Files.readAllBytes(run.resolve(CheckpointDirectory.PREVIOUS)));
        try (Stream<Path> files = Files.list(run)) {
            assertEquals(List.of(".lock", "checkpoint-previous.nnck", "checkpoint.nnck"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        CheckpointDirectory.Found found = CheckpointDirectory.newest(run);
        assertEquals(run.resolve(CheckpointDirectory.CHECKPOINT), found.file());
        assertEquals(5, found.checkpoint().position().epoch() + 1);
        assertEquals("", found.note());
    }

    @Test
    void aDirectoryWithOnlyThePreviousCheckpointResumesFromIt() throws IOException {
        // What a crash between the two renames of the old rotation left.
        Files.createDirectories(dir);
        CheckpointFile.write(dir.resolve(CheckpointDirectory.PREVIOUS), at(3));
        assertTrue(CheckpointDirectory.holdsCheckpoint(dir));
        CheckpointDirectory.Found found = CheckpointDirectory.newest(dir);
        assertEquals(dir.resolve(CheckpointDirectory.PREVIOUS), found.file());
        assertEquals(3, found.checkpoint().position().epoch());
    }

    @Test
    void aDamagedNewestIsPassedOverWithANoteAndTheNextRotationKeepsTheGoodOne() throws IOException {
        try (CheckpointDirectory d = CheckpointDirectory.open(dir)) {
            d.write(at(2));
            d.write(at(3));
        }
        Path latest = dir.resolve(CheckpointDirectory.CHECKPOINT);
        byte[] bytes = Files.readAllBytes(latest);
        bytes[bytes.length / 2] ^= 1;
        Files.write(latest, bytes);

        CheckpointDirectory.Found found = CheckpointDirectory.newest(dir);
        assertEquals(dir.resolve(CheckpointDirectory.PREVIOUS), found.file());
        assertTrue(found.note().startsWith(latest + ": checksum mismatch (CRC32C stored "), found.note());
        assertTrue(found.note().endsWith("the file is corrupted or truncated; resuming from "
                + dir.resolve(CheckpointDirectory.PREVIOUS) + " instead, the newest checkpoint that reads"), found.note());

        try (CheckpointDirectory d = CheckpointDirectory.open(dir)) {
            d.resumedFrom(found.file());
            d.write(at(3));
        }
        // The damaged file was not rotated over the good one.
        assertArrayEquals(CheckpointFile.encode(at(2)), Files.readAllBytes(dir.resolve(CheckpointDirectory.PREVIOUS)));
        assertArrayEquals(CheckpointFile.encode(at(3)), Files.readAllBytes(latest));
    }

    @Test
    void whenNeitherReadsTheNewestsErrorIsGivenAndAnEmptyDirectorySaysSo() throws IOException {
        NoSuchFileException none = assertThrows(NoSuchFileException.class, () -> CheckpointDirectory.newest(dir));
        assertEquals(dir.toString(), none.getFile());
        assertEquals("holds no checkpoint (checkpoint.nnck or checkpoint-previous.nnck)", none.getReason());
        Files.writeString(dir.resolve(CheckpointDirectory.CHECKPOINT), "junk");
        Files.writeString(dir.resolve(CheckpointDirectory.PREVIOUS), "junk");
        FileFormatException e = assertThrows(FileFormatException.class, () -> CheckpointDirectory.newest(dir));
        assertEquals(dir.resolve(CheckpointDirectory.CHECKPOINT) + ": the file is 4 bytes, too short to be a checkpoint "
                + "(truncated?)", e.getMessage());
    }

    @Test
    void aSecondOwnerIsRefusedWithTheProcessOfTheFirst() throws IOException {
        try (CheckpointDirectory first = CheckpointDirectory.open(dir)) {
            DirectoryInUseException e = assertThrows(DirectoryInUseException.class, () -> CheckpointDirectory.open(dir));
            String pid = Long.toString(ProcessHandle.current().pid());
            assertEquals(dir + " is in use by another training run (process " + pid + ")", e.getMessage());
            assertEquals(pid, e.owner());
        }
        try (CheckpointDirectory again = CheckpointDirectory.open(dir)) {
            assertEquals(dir, again.path());
        }
    }

    @Test
    void newDirectoriesOfOneNameNeverCollideAndAnUnusedOneIsRemovedOnClose() throws IOException {
        try (CheckpointDirectory a = CheckpointDirectory.createNew(dir, "2026-12-01T19-00-00");
                CheckpointDirectory b = CheckpointDirectory.createNew(dir, "2026-12-01T19-00-00");
                CheckpointDirectory c = CheckpointDirectory.createNew(dir, "2026-12-01T19-00-00")) {
            assertEquals(dir.resolve("2026-12-01T19-00-00"), a.path());
            assertEquals(dir.resolve("2026-12-01T19-00-00-2"), b.path());
            assertEquals(dir.resolve("2026-12-01T19-00-00-3"), c.path());
            a.write(at(1));
        }
        assertTrue(Files.exists(dir.resolve("2026-12-01T19-00-00").resolve(CheckpointDirectory.CHECKPOINT)));
        assertFalse(Files.exists(dir.resolve("2026-12-01T19-00-00-2")), "a run that wrote nothing leaves nothing");
        Path parent = dir.resolve("runs");
        CheckpointDirectory.createNew(parent, "x").close();
        assertFalse(Files.exists(parent), "nor the parent it made");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        IOException e = assertThrows(IOException.class, () -> CheckpointDirectory.open(file));
        assertEquals(file + ": is a file, not a directory", e.getMessage());
    }
}
