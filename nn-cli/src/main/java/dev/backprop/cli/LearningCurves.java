package dev.backprop.cli;

import dev.backprop.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws the learning curves of a run (loss on the left axis, accuracy on the right) as a PNG with XChart. */
final class LearningCurves {
    static final String FILE = "learning-curves.png";

    static {
        // Without this, ImageIO encodes through a cache file that a JDK shutdown hook closes on Ctrl-C, and
        // the chart being written at that moment failed the run before it could write its checkpoint.
        javax.imageio.ImageIO.setUseCache(false);
    }

    private LearningCurves() {
    }

    /** Writes the chart of {@code rows} to {@code file}, atomically. */
    static void write(Path file, String title, List<Metrics.Row> rows) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle("epoch").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideN);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.setYAxisGroupTitle(0, "loss (mean J per example)");
        chart.setYAxisGroupTitle(1, "accuracy");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        series(chart, "training loss", rows, Metrics.Row::trainLoss, 0);
        series(chart, "validation loss", rows, Metrics.Row::validationLoss, 0);
        series(chart, "validation accuracy", rows, Metrics.Row::validationAccuracy, 1);
        series(chart, "test accuracy (reported only)", rows, Metrics.Row::testAccuracy, 1);
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(file, out -> out.write(png));
    }

    private static void series(XYChart chart, String name, List<Metrics.Row> rows, ToDoubleFunction<Metrics.Row> value,
            int axis) {
        double[] x = rows.stream().filter(r -> !Double.isNaN(value.applyAsDouble(r))).mapToDouble(Metrics.Row::epoch).toArray();
        double[] y = rows.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).toArray();
        if (x.length == 0) {
            return;
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setYAxisGroup(axis);
        s.setMarker(SeriesMarkers.CIRCLE);
    }
}
