package dev.backprop.cli;

import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.data.FileFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The per-epoch figures of a training run, kept as {@code metrics.csv} in the run's directory and rewritten
 * whole after every epoch. A resumed run reads them back and drops rows past its checkpoint, so the file
 * always describes the weights that the checkpoint holds.
 */
final class Metrics {
    static final String FILE = "metrics.csv";
    static final String HEADER = "epoch,train_loss,validation_loss,validation_accuracy,test_accuracy,learning_rate,"
            + "epoch_seconds,examples_per_second,elapsed_seconds";

    /**
     * One epoch. {@code testAccuracy} is NaN unless the run was asked to track it; it is reported, never used
     * to choose anything. {@code elapsedSeconds} is the wall time from the start of the run (across resumes)
     * to the end of this epoch's evaluation.
     */
    record Row(int epoch, double trainLoss, double validationLoss, double validationAccuracy, double testAccuracy,
            double learningRate, double epochSeconds, double examplesPerSecond, double elapsedSeconds) {

        String csv() {
            return String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%.3f,%.0f,%.3f", epoch, num(trainLoss),
                    num(validationLoss), num(validationAccuracy), num(testAccuracy), num(learningRate), epochSeconds,
                    examplesPerSecond, elapsedSeconds);
        }

        private static String num(double v) {
            return Double.isNaN(v) ? "" : Double.toString(v);
        }
    }

    private final Path file;
    private final List<Row> rows = new ArrayList<>();

    Metrics(Path dir) {
        this.file = dir.resolve(FILE);
    }

    List<Row> rows() {
        return rows;
    }

    void add(Row row) throws IOException {
        rows.add(row);
        write();
    }

    /** Reads the rows of epochs before {@code epoch}, those a checkpoint at its start has seen. */
    void readBefore(int epoch) throws IOException {
        rows.clear();
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            try {
                if (f.length != 9) {
                    throw new NumberFormatException(f.length + " fields, expected 9");
                }
                Row r = new Row(Integer.parseInt(f[0]), parse(f[1]), parse(f[2]), parse(f[3]), parse(f[4]), parse(f[5]),
                        parse(f[6]), parse(f[7]), parse(f[8]));
                if (r.epoch() < epoch) {
                    rows.add(r);
                }
            } catch (NumberFormatException e) {
                throw new FileFormatException(file, "line " + (i + 1), "not a metrics row (" + e.getMessage() + ")");
            }
        }
    }

    private static double parse(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    private void write() throws IOException {
        StringBuilder s = new StringBuilder(HEADER).append('\n');
        for (Row r : rows) {
            s.append(r.csv()).append('\n');
        }
        byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }
}
