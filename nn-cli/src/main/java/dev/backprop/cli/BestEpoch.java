package dev.backprop.cli;

import dev.backprop.core.Parameters;
import dev.backprop.core.data.FileFormatException;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.tabular.Preprocessing;
import dev.backprop.core.train.EarlyStopping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Early stopping in {@code nn train}: the tracker, and the best epoch's weights in {@code best.nnbp} in the
 * run's directory (with the one before it in {@code best-previous.nnbp}, for a crash between writing it and
 * the checkpoint). On resume the tracker is replayed from the metrics of the epochs before the checkpoint,
 * and the file whose epoch it names gives the weights back, so a resumed run ends with the same bits.
 */
final class BestEpoch {
    static final String FILE = "best.nnbp";
    static final String PREVIOUS = "best-previous.nnbp";
    private static final String EPOCH_KEY = "best.epoch";

    private final Path dir;
    private final EarlyStopping stopping;
    private double[] weights;
    private boolean stopped;

    BestEpoch(Path dir, EarlyStopping stopping, List<Metrics.Row> before) throws IOException {
        this.dir = dir;
        this.stopping = stopping;
        for (Metrics.Row row : before) {
            stopping.record(row.epoch(), row.validationLoss());
        }
        if (stopping.bestEpoch() > 0) {
            weights = read(dir.resolve(FILE));
            if (weights == null) {
                weights = read(dir.resolve(PREVIOUS));
            }
            if (weights == null) {
                throw new FileFormatException(dir.resolve(FILE), "", "does not hold the weights of epoch "
                        + stopping.bestEpoch() + ", the best before the checkpoint (nor does " + PREVIOUS + ")");
            }
        }
    }

    private double[] read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        Model m = ModelFile.read(file);
        return Integer.toString(stopping.bestEpoch()).equals(m.provenance().get(EPOCH_KEY)) ? m.parameters().values() : null;
    }

    /** Records an epoch; keeps its weights when it is the best; true when training should stop. */
    boolean record(int epoch, double validationLoss, Parameters params, Map<String, String> provenance,
            Preprocessing preprocessing) {
        if (stopping.record(epoch, validationLoss)) {
            weights = params.values().clone();
            Map<String, String> p = new TreeMap<>(provenance);
            p.put(EPOCH_KEY, Integer.toString(epoch));
            try {
                Path file = dir.resolve(FILE);
                if (Files.exists(file)) {
                    Files.move(file, dir.resolve(PREVIOUS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.createDirectories(dir);
                ModelFile.write(file, new Model(params, p, preprocessing));
            } catch (IOException e) {
                throw new UncheckedIOException(new IOException("cannot write the best epoch's weights in " + dir + ": "
                        + e.getMessage(), e));
            }
        }
        stopped = stopping.shouldStop();
        return stopped;
    }

    boolean stopped() {
        return stopped;
    }

    int epoch() {
        return stopping.bestEpoch();
    }

    double loss() {
        return stopping.bestLoss();
    }

    double[] weights() {
        return weights;
    }
}
