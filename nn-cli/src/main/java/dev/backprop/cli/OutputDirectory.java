package dev.backprop.cli;

import dev.backprop.core.io.CheckpointDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** The default output directory of a command that writes a run's files: one per run, named by its start. */
final class OutputDirectory {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss");

    private OutputDirectory() {
    }

    /** {@code parent/<date-time>}, say {@code runs/2026-11-23T14-33-02}. */
    static Path dated(String parent) {
        return Path.of(parent, LocalDateTime.now().format(NAME));
    }

    /**
     * A new {@code parent/<date-time>} directory, owned by this run; when another run took the name in the
     * same second, {@code <date-time>-2}, {@code -3} and so on.
     */
    static CheckpointDirectory createDated(Path parent) throws IOException {
        return CheckpointDirectory.createNew(parent, LocalDateTime.now().format(NAME));
    }
}
