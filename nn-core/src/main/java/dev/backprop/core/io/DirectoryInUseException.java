package dev.backprop.core.io;

import java.io.IOException;
import java.nio.file.Path;

/** A run's directory whose lock another run holds; the message names the directory and the other process. */
public class DirectoryInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String owner;

    DirectoryInUseException(Path dir, String owner) {
        super(dir + " is in use by another training run (" + (owner.isEmpty() ? "a process that has not yet written its ID"
                : "process " + owner) + ")");
        this.owner = owner;
    }

    /** The process ID the owner wrote into the lock file, or empty if it has not written it yet. */
    public String owner() {
        return owner;
    }
}
