package dev.backprop.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file whose contents are not what its format allows: truncated, corrupted, of a newer version, or with
 * a value out of range. The message names the file and the place ("line 7", "byte 16", "weights[1][0]").
 * Readers throw this and nothing else for bad bytes.
 */
public class FileFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** {@code file}: {@code where}: {@code problem}. {@code where} may be empty. */
    public FileFormatException(Path file, String where, String problem) {
        super(file + ": " + (where == null || where.isEmpty() ? "" : where + ": ") + problem);
        this.file = file;
    }

    /** The file that is wrong. */
    public Path file() {
        return file;
    }
}
