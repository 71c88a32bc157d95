package dev.backprop.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The checkpoints of one training run, in a directory the run owns: {@value #CHECKPOINT}, the newest, and
 * {@value #PREVIOUS}, the one before it.
 *
 * <p>The run owns the directory through a lock on its {@value #LOCK} file, held from {@link #open} to
 * {@link #close}: a second run in the same directory, in this process or another, is refused with the
 * process ID of the first. The file stays after the run (removing a lock file that another process may be
 * about to lock would let two processes hold "the" lock).
 *
 * <p>A new checkpoint is rotated in so that at no moment does the directory lack a complete checkpoint
 * (a crash may strike between any two steps): the newest file is first given the second name as well (a
 * hard link, or a copy where links are not supported, renamed into place), so both names hold it; then the
 * new checkpoint replaces the first name atomically ({@link AtomicFiles}).
 */
public final class CheckpointDirectory implements AutoCloseable {
    /** The newest checkpoint. */
    public static final String CHECKPOINT = "checkpoint.nnck";
    /** The checkpoint before the newest. */
    public static final String PREVIOUS = "checkpoint-previous.nnck";
    /** The file whose lock marks the directory as owned by a running process. */
    public static final String LOCK = ".lock";

    private final Path dir;
    private final boolean created;
    private Path createdParent;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** The name that holds the newest valid checkpoint, or null before the first. */
    private String newest;

    private CheckpointDirectory(Path dir, boolean created, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.created = created;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens {@code dir} for a run, creating it if needed, and takes its lock.
     *
     * @throws DirectoryInUseException if another run holds the lock
     * @throws IOException if {@code dir} is not a directory or cannot be created or written
     */
    public static CheckpointDirectory open(Path dir) throws IOException {
        boolean created = false;
        if (!Files.isDirectory(dir)) {
            if (Files.exists(dir)) {
                throw new FileSystemException(dir.toString(), null, "is a file, not a directory");
            }
            Files.createDirectories(dir);
            created = true;
        }
        return lock(dir, created);
    }

    /**
     * Creates a new directory {@code parent/name}, or {@code parent/name-2}, {@code -3} and so on when the name is
     * taken: creating a directory is atomic, so two runs started at once never get the same one.
     */
    public static CheckpointDirectory createNew(Path parent, String name) throws IOException {
        boolean newParent = !Files.isDirectory(parent);
        Files.createDirectories(parent);
        for (int n = 1; ; n++) {
            Path dir = parent.resolve(n == 1 ? name : name + "-" + n);
            try {
                Files.createDirectory(dir);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                continue;
            }
            CheckpointDirectory d = lock(dir, true);
            d.createdParent = newParent ? parent : null;
            return d;
        }
    }

    private static CheckpointDirectory lock(Path dir, boolean created) throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String pid = readPid(channel);
            channel.close();
            throw new DirectoryInUseException(dir, pid);
        }
        try {
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(true);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new CheckpointDirectory(dir, created, channel, lock);
    }

    private static String readPid(FileChannel channel) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        channel.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
    }

    /** The directory. */
    public Path path() {
        return dir;
    }

    /** True if {@code dir} holds a checkpoint under either name, valid or not. */
    public static boolean holdsCheckpoint(Path dir) {
        return Files.exists(dir.resolve(CHECKPOINT)) || Files.exists(dir.resolve(PREVIOUS));
    }

    /**
     * The checkpoint a resumed run continues from, and which file held it.
     *
     * @param note empty, or why a file other than the newest was chosen
     */
    public record Found(Path file, Checkpoint checkpoint, String note) {
    }

    /**
     * The newest valid checkpoint in {@code dir}: the one of the two that has taken more steps, or the only one
     * that reads. The {@link Found#note()} says so when the other could not be read.
     *
     * @throws NoSuchFileException if {@code dir} holds neither file
     * @throws IOException the error of {@value #CHECKPOINT} (or of the only file there) when no file reads
     */
    public static Found newest(Path dir) throws IOException {
        List<Found> valid = new ArrayList<>();
        List<IOException> errors = new ArrayList<>();
        for (String name : new String[] {CHECKPOINT, PREVIOUS}) {
            Path file = dir.resolve(name);
            if (!Files.exists(file)) {
                continue;
            }
            try {
                valid.add(new Found(file, CheckpointFile.read(file), ""));
            } catch (IOException e) {
                errors.add(e);
            }
        }
        if (valid.isEmpty()) {
            if (!errors.isEmpty()) {
                throw errors.get(0);
            }
            throw new NoSuchFileException(dir.toString(), null, "holds no checkpoint (" + CHECKPOINT + " or " + PREVIOUS + ")");
        }
        Found best = valid.get(0);
        for (Found f : valid) {
            if (f.checkpoint().position().steps() > best.checkpoint().position().steps()) {
                best = f;
            }
        }
        if (!errors.isEmpty()) {
            return new Found(best.file(), best.checkpoint(), errors.get(0).getMessage() + "; resuming from "
                    + best.file() + " instead, the newest checkpoint that reads");
        }
        return best;
    }

    /**
     * Says which file holds the checkpoint a run resumed from, so that the first rotation keeps it rather than
     * a damaged or older file.
     */
    public void resumedFrom(Path file) {
        Path name = file.getFileName();
        if (name != null && file.toAbsolutePath().getParent().equals(dir.toAbsolutePath())
                && (name.toString().equals(CHECKPOINT) || name.toString().equals(PREVIOUS))) {
            newest = name.toString();
        } else {
            newest = null;
        }
    }

    /** Writes {@code checkpoint} as the newest; the newest before it becomes the previous one. */
    public void write(Checkpoint checkpoint) throws IOException {
        write(CheckpointFile.encode(checkpoint));
    }

    /**
     * As {@link #write(Checkpoint)}, for a checkpoint already encoded by {@link CheckpointFile#encode}: the
     * encoding is a snapshot of the weights and the optimizer's state, so a trainer can take it between two
     * steps and leave the writing (and the waits for the disk) to another thread. Calls must not overlap.
     */
    public void write(byte[] bytes) throws IOException {
        try {
            if (CHECKPOINT.equals(newest) || (newest == null && Files.exists(dir.resolve(CHECKPOINT)))) {
                keepAsPrevious(dir.resolve(CHECKPOINT));
            }
            AtomicFiles.write(dir.resolve(CHECKPOINT), out -> out.write(bytes));
        } catch (IOException e) {
            throw new IOException("cannot write the checkpoint in " + dir + ": " + e.getMessage(), e);
        }
        newest = CHECKPOINT;
    }

    /** Gives {@code current}'s contents the name {@value #PREVIOUS} too, replacing it in one atomic rename. */
    private void keepAsPrevious(Path current) throws IOException {
        Path previous = dir.resolve(PREVIOUS);
        Path link = dir.resolve(AtomicFiles.tempPrefix(PREVIOUS) + ProcessHandle.current().pid() + "."
                + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            Files.createLink(link, current);
        } catch (UnsupportedOperationException | FileSystemException noLinks) {
            Files.deleteIfExists(link);
            AtomicFiles.write(previous, out -> Files.copy(current, out));
            return;
        }
        try {
            Files.move(link, previous, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(link);
        }
        AtomicFiles.syncDirectory(dir);
        AtomicFiles.removeStaleTempFiles(previous);
    }

    /**
     * Releases the lock. A directory this object created that holds nothing but the lock file (a run that
     * failed before writing anything) is removed.
     */
    @Override
    public void close() throws IOException {
        try {
            if (created && onlyLockLeft()) {
                Files.deleteIfExists(dir.resolve(LOCK));
                Files.deleteIfExists(dir);
                if (createdParent != null) {
                    try {
                        Files.deleteIfExists(createdParent);
                    } catch (java.nio.file.DirectoryNotEmptyException usedByOthers) {
                        // another run's directory is in it
                    }
                }
            }
        } finally {
            lock.release();
            lockChannel.close();
        }
    }

    private boolean onlyLockLeft() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.allMatch(p -> p.getFileName().toString().equals(LOCK));
        }
    }
}
