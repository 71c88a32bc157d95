package dev.backprop.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.UnaryOperator;

/**
 * Writes a file so that readers see either the old contents or the complete new ones, never a part:
 * the bytes go to a temporary file in the same directory, are forced to disk, and the temporary file is
 * renamed over the target in one atomic step. If anything fails, the temporary file is removed and the
 * target is untouched. Temporary files that a killed process left are removed by the next successful write
 * of the same target.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes what {@code writer} produces to a stream. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the whole contents. */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Replaces {@code target} with the bytes {@code writer} writes, atomically.
     *
     * @throws IOException naming {@code target} and saying that it is unchanged, with the cause (a full disk,
     *     a failing writer) attached
     */
    public static void write(Path target, Writer writer) throws IOException {
        write(target, writer, out -> out);
    }

    /** As {@link #write(Path, Writer)} with the file's stream wrapped, so tests can make the disk fail. */
    static void write(Path target, Writer writer, UnaryOperator<OutputStream> disk) throws IOException {
        try {
            replace(target, writer, disk);
        } catch (IOException e) {
            throw new IOException(target + ": not written (" + e.getMessage() + "); "
                    + (Files.exists(target) ? "the previous file is unchanged" : "no file was created"), e);
        }
        removeStaleTempFiles(target);
    }

    private static void replace(Path target, Writer writer, UnaryOperator<OutputStream> disk) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        // Not Files.createTempFile: it makes the file private (0600), and the model would stay so after the
        // rename. A plain new file gets the permissions of the user's umask, like any file the user writes.
        Path temp = newTempFile(dir, absolute.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(disk.apply(Channels.newOutputStream(channel)), 1 << 16);
                writer.writeTo(out);
                out.flush();
                channel.force(true); // the bytes are on disk before the name points at them
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically on this file system", e);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static Path newTempFile(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve(tempPrefix(name) + ProcessHandle.current().pid() + "."
                    + Long.toHexString(System.nanoTime() + attempt) + ".tmp");
            try {
                Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    static String tempPrefix(String name) {
        return "." + name + ".";
    }

    /**
     * Removes the temporary files of {@code target} that a killed process left behind (a process that is
     * alive may be writing its own). Best effort: a file that cannot be listed or removed stays.
     */
    static void removeStaleTempFiles(Path target) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        String prefix = tempPrefix(absolute.getFileName().toString());
        if (dir == null) {
            return;
        }
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp");
        })) {
            for (Path temp : temps) {
                String[] parts = temp.getFileName().toString().substring(prefix.length()).split("\\.");
                try {
                    long pid = Long.parseLong(parts[0]);
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                } catch (NumberFormatException e) {
                    continue; // not one of ours
                }
                Files.deleteIfExists(temp);
            }
        } catch (IOException | UncheckedIOException ignored) {
            // Leftovers only take space; the write itself succeeded.
        }
    }

    /** Makes the rename durable; some file systems cannot open a directory, which only weakens durability. */
    static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // The rename has happened; only its durability across a power cut is weaker here.
        }
    }
}
