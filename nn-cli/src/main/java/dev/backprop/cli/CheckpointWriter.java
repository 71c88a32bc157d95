package dev.backprop.cli;

import com.google.common.base.Throwables;
import com.google.common.util.concurrent.Uninterruptibles;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataFingerprint;
import dev.backprop.core.io.Checkpoint;
import dev.backprop.core.io.CheckpointDirectory;
import dev.backprop.core.io.CheckpointFile;
import dev.backprop.core.io.Model;
import dev.backprop.core.tabular.Preprocessing;
import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.TrainingPosition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes the run's checkpoints. At the end of an epoch the checkpoint is encoded on the training thread
 * (a snapshot of the weights and the optimizer's state, a few milliseconds) and written to disk on a
 * thread of its own while the next epoch trains: rotation and the waits for the disk (tens of
 * milliseconds an epoch) are off the training path. One write is in flight at most; a failure is
 * thrown by the next write or by {@link #finish()}, and the files are only ever replaced whole. A stop
 * writes at once, after the write in flight; a stop right after an epoch's checkpoint asks for the same
 * position again: it is not written twice, which would rotate the previous checkpoint away for a copy
 * of the newest.
 */
final class CheckpointWriter {
    private final CheckpointDirectory dir;
    private final Parameters params;
    private final Map<String, String> provenance;
    private final Preprocessing preprocessing;
    private final Optimizer opt;
    private final DataFingerprint data;
    private final ExecutorService disk = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nn-checkpoint");
        t.setDaemon(true); // finish() waits for it; a daemon cannot keep a failed run's JVM alive
        return t;
    });
    private Future<?> inFlight;
    private TrainingPosition written;

    CheckpointWriter(CheckpointDirectory dir, Parameters params, Map<String, String> provenance,
            Preprocessing preprocessing, Optimizer opt, DataFingerprint data) {
        this.dir = dir;
        this.params = params;
        this.provenance = provenance;
        this.preprocessing = preprocessing;
        this.opt = opt;
        this.data = data;
    }

    /** The checkpoint of an epoch's end, written while training goes on. */
    void writeInBackground(TrainingPosition next) {
        if (next.equals(written)) {
            return;
        }
        byte[] bytes = encode(next);
        awaitInFlight();
        inFlight = disk.submit(() -> {
            dir.write(bytes);
            return null;
        });
        written = next;
    }

    /** The checkpoint of a stop, on disk when this returns. */
    void write(TrainingPosition next) {
        awaitInFlight();
        if (next.equals(written)) {
            return;
        }
        try {
            dir.write(encode(next));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        written = next;
    }

    /** Waits for the write in flight and stops the writer's thread; throws that write's failure. */
    void finish() {
        try {
            awaitInFlight();
        } finally {
            disk.shutdown();
        }
    }

    private byte[] encode(TrainingPosition next) {
        return CheckpointFile.encode(new Checkpoint(new Model(params, provenance, preprocessing), next, opt.steps(),
                opt.state(), data));
    }

    private void awaitInFlight() {
        if (inFlight == null) {
            return;
        }
        Future<?> f = inFlight;
        inFlight = null;
        try {
            Uninterruptibles.getUninterruptibly(f);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            Throwables.throwIfUnchecked(cause);
            throw new IllegalStateException(cause);
        }
    }
}
