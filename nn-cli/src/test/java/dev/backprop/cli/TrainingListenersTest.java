package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.TrainingPosition;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listeners of nn train, each on its own concern. */
class TrainingListenersTest {
    @TempDir
    Path dir;

    @Test
    void theMetricsWriterPrintsTheEpochsLineAndKeepsItsRowWithTheValidationFigures() throws Exception {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        Metrics metrics = new Metrics(dir);
        metrics.readBefore(1);
        ValidationTrigger validation = new ValidationTrigger(() -> new ValidationTrigger.Evaluation(0.25, 0.875, Double.NaN));
        MetricsWriter writer = new MetricsWriter(out, 12, Optimizer.sgd(0.05), metrics, validation);
        writer.onStep(3, 1, 600, 0.5);
        writer.onStep(3, 2, 400, 0.4);
        validation.onEpoch(3, 0.45, 2_000_000_000L);
        writer.onEpoch(3, 0.45, 2_000_000_000L);
        String line = text.toString();
        assertTrue(line.startsWith("epoch  3/12  loss 0.4500  val loss 0.2500  val acc 0.8750  lr 0.0500  2.0 s (500 ex/s)"),
                line);
        assertEquals(1, metrics.rows().size());
        Metrics.Row row = metrics.rows().get(0);
        assertEquals(3, row.epoch());
        assertEquals(0.875, row.validationAccuracy(), 0.0);
        assertEquals(500.0, row.examplesPerSecond(), 0.0);
    }

    @Test
    void theCheckpointTriggerHandsOnTheNextPositionAndTheValidationTriggerEvaluatesOncePerEpoch() {
        List<TrainingPosition> written = new ArrayList<>();
        TrainingPosition next = new TrainingPosition(2, 0, 10, 0.0, 99);
        new CheckpointTrigger(written::add).onEpochEnd(next);
        assertEquals(List.of(next), written);

        int[] evaluations = new int[1];
        ValidationTrigger validation = new ValidationTrigger(() -> {
            evaluations[0]++;
            return new ValidationTrigger.Evaluation(1, 0.5, 0.25);
        });
        assertTrue(Double.isNaN(validation.latest().validationAccuracy()), "nothing before the first epoch");
        validation.onStep(1, 1, 10, 0.3);
        assertEquals(0, evaluations[0], "a step evaluates nothing");
        validation.onEpoch(1, 0.3, 1);
        assertEquals(1, evaluations[0]);
        assertEquals(0.25, validation.latest().testAccuracy(), 0.0);
    }

    @Test
    void theChartIsDrawnAfterTheFirstEpochThenEveryFiveSecondsAndOnceMoreAtTheEnd() throws Exception {
        PrintWriter out = new PrintWriter(new StringWriter());
        Metrics metrics = new Metrics(dir);
        metrics.readBefore(1);
        ValidationTrigger validation = new ValidationTrigger(() -> new ValidationTrigger.Evaluation(0.25, 0.875, Double.NaN));
        MetricsWriter rows = new MetricsWriter(out, 6, Optimizer.sgd(0.05), metrics, validation);
        long[] now = {0};
        Path png = dir.resolve(LearningCurves.FILE);
        ChartWriter chart = new ChartWriter(out, png, "test", metrics, () -> now[0]);
        long second = 1_000_000_000L;
        long[] at = {0, 1 * second, 5 * second + 1, 6 * second, 7 * second};
        boolean[] drawn = {true, false, true, false, false};
        for (int epoch = 1; epoch <= at.length; epoch++) {
            now[0] = at[epoch - 1];
            validation.onEpoch(epoch, 0.5, second);
            rows.onEpoch(epoch, 0.5, second);
            chart.onEpoch(epoch, 0.5, second);
            assertEquals(drawn[epoch - 1], Files.exists(png), "epoch " + epoch);
            Files.deleteIfExists(png);
        }
        chart.finish();
        assertTrue(Files.exists(png), "the last epochs are drawn at the end");
        Files.delete(png);
        chart.finish();
        assertFalse(Files.exists(png), "nothing new to draw");
    }
}
