package dev.backprop.cli;

import dev.backprop.core.Cost;
import dev.backprop.core.GradientEngine;
import dev.backprop.core.Network;
import dev.backprop.core.data.CsvFiles;
import dev.backprop.core.data.Table;
import dev.backprop.core.data.TableFile;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.tabular.Preprocessing;
import dev.backprop.core.tabular.TableEvaluation;
import dev.backprop.core.tabular.TargetEncoding;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.data.DataSetTooLargeException;
import dev.backprop.core.data.IdxFile;
import dev.backprop.core.data.IdxDataSets;
import dev.backprop.core.data.FileFormatException;
import dev.backprop.core.io.Model;
import dev.backprop.core.train.ConfusionMatrix;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nn predict}: the class and the class probabilities of each example of a file. */
@Command(name = "predict",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Prints the predicted class and the probability of every class for each example of a file (for a",
            "model trained with half-sse, the output units' values, which are not probabilities).",
            "",
            "The file may be:",
            "  IDX images (plain or .gz, as MNIST ships them), pixels scaled by 1/255;",
            "  CSV, one example per row with exactly the model's inputs, no header;",
            "  for a model trained on a table: a CSV with a header, whose columns are matched by name (the target "
                + "column may be absent), written back as CSV with --output;",
            "  a PNG or JPEG image, made grey and scaled to the model's square input (28x28 for Fashion-MNIST)."})
final class PredictCommand implements Callable<Integer> {
    /** The most pixels an image may have: 64 megapixels decode in about 256 MB (four bytes a pixel). */
    static final long MAX_PIXELS = 64_000_000L;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "IDX, CSV, PNG or JPEG.")
    Path input;

    @Option(names = "--output", paramLabel = "OUT.csv",
            description = "For a model trained on a table: write the predictions to this CSV (default: print them).")
    Path output;

    @Option(names = "--invert", defaultValue = "auto", paramLabel = "MODE",
            description = "For images: yes, no, or auto, which inverts an image whose border is light, since "
                    + "Fashion-MNIST shows light objects on black (default: ${DEFAULT-VALUE}).")
    String invert;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        Model m = EvaluateCommand.readModel(model.file);
        if (m.preprocessing().isPresent()) {
            return predictTable(m, m.preprocessing().get());
        }
        if (output != null) {
            throw new IllegalArgumentException("--output applies to a model trained on a table; " + model.file + " was not");
        }
        Network network = m.network();
        double[] x = read(input, network.inputs());
        int n = x.length / network.inputs();
        DataSet data = DataSet.ofDoubles(x, network.inputs(), new double[n * network.outputs()], network.outputs());
        double[] out = new double[n * network.outputs()];
        try (GradientEngine e = engine.create()) {
            e.predict(m.parameters(), data, 0, n, out);
        }
        print(spec.commandLine().getOut(), EvaluateCommand.classNames(m, null), network.cost() == Cost.CROSS_ENTROPY,
                network.outputs(), out, n);
        return 0;
    }

    /**
     * One CSV row per input row: the predicted class and each class's probability, or the predicted number
     * in the target's units. The columns are matched by name; a category training never saw is noted once
     * per column on standard error.
     */
    private int predictTable(Model m, Preprocessing pre) throws IOException {
        Table table = TableFile.read(input);
        Map<String, Integer> unseen = new TreeMap<>();
        float[] x = pre.inputs(table, column -> unseen.merge(column, 1, Integer::sum));
        int n = table.size();
        int k = m.network().outputs();
        DataSet data = DataSet.ofFloats(x, pre.inputSize(), new float[n * k], k);
        double[] out;
        try (GradientEngine e = engine.create()) {
            out = TableEvaluation.outputs(e, m.parameters(), data);
        }
        PrintWriter err = spec.commandLine().getErr();
        for (Map.Entry<String, Integer> u : unseen.entrySet()) {
            err.printf(Locale.ROOT, "note: column '%s' has %d value%s that training never saw; %s encoded as all zeros%n",
                    u.getKey(), u.getValue(), u.getValue() == 1 ? "" : "s", u.getValue() == 1 ? "it is" : "they are");
        }
        err.flush();
        StringBuilder csv = new StringBuilder();
        if (pre.target() instanceof TargetEncoding.Classes c) {
            csv.append(quote(c.name()));
            for (String name : c.classes()) {
                csv.append(',').append(quote("p(" + name + ")"));
            }
            csv.append('\n');
            for (int i = 0; i < n; i++) {
                csv.append(quote(c.classes().get(ConfusionMatrix.argMax(out, i * k, k))));
                for (int j = 0; j < k; j++) {
                    csv.append(String.format(Locale.ROOT, ",%.6f", out[i * k + j]));
                }
                csv.append('\n');
            }
        } else {
            TargetEncoding.Scaled s = (TargetEncoding.Scaled) pre.target();
            csv.append(quote(s.name())).append('\n');
            for (int i = 0; i < n; i++) {
                csv.append(s.value(out[i])).append('\n');
            }
        }
        if (output != null) {
            byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(output, o -> o.write(bytes));
            spec.commandLine().getOut().printf(Locale.ROOT, "%,d predictions written to %s%n", n, output);
        } else {
            spec.commandLine().getOut().print(csv);
        }
        return 0;
    }

    /** A CSV field, quoted when it holds a comma, a quote or surrounding spaces. */
    static String quote(String field) {
        if (field.contains(",") || field.contains("\"") || !field.equals(field.trim())) {
            return "\"" + field.replace("\"", "\"\"") + "\"";
        }
        return field;
    }

    /**
     * One line per example. Softmax outputs are probabilities, headed p; the sigmoid outputs of a half-sse model
     * are not (they need not sum to one), and are headed out.
     */
    private static void print(PrintWriter o, String[] names, boolean probabilities, int classes, double[] out, int n) {
        int width = 5;
        for (int c = 0; c < classes; c++) {
            width = Math.max(width, name(names, c).length());
        }
        String head = probabilities ? "p" : "out";
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-7s  %-" + (width + 4) + "s  %-6s ", "example",
                "predicted", head));
        for (int c = 0; c < classes; c++) {
            header.append(String.format(Locale.ROOT, " %6s", head + c));
        }
        o.println(header);
        for (int i = 0; i < n; i++) {
            int best = ConfusionMatrix.argMax(out, i * classes, classes);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-7d  %-" + (width + 4) + "s  %.4f ", i,
                    best + " " + name(names, best), out[i * classes + best]));
            for (int c = 0; c < classes; c++) {
                line.append(String.format(Locale.ROOT, " %.4f", out[i * classes + c]));
            }
            o.println(line);
        }
        if (names != null) {
            StringBuilder legend = new StringBuilder("classes:");
            for (int c = 0; c < classes; c++) {
                legend.append(c == 0 ? " " : ", ").append(c).append(' ').append(names[c]);
            }
            o.println(legend);
        }
        if (!probabilities) {
            o.println("out: the output units' values (sigmoid, trained with half-sse); they are not probabilities");
        }
    }

    private static String name(String[] names, int c) {
        return names == null ? "" : names[c];
    }

    /** The examples of {@code file}, row after row, in whichever of the three formats it is. */
    private double[] read(Path file, int inputs) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "input file not found");
        }
        byte[] head = new byte[8];
        int got;
        try (InputStream in = Files.newInputStream(file)) {
            got = in.readNBytes(head, 0, head.length);
        }
        boolean gzip = got >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
        boolean idx = got >= 4 && head[0] == 0 && head[1] == 0;
        boolean png = got >= 4 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G';
        boolean jpeg = got >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8 && (head[2] & 0xff) == 0xff;
        if (gzip || idx) {
            return idx(file, inputs);
        }
        if (png || jpeg) {
            return image(file, inputs);
        }
        return CsvFiles.readInputs(file, inputs);
    }

    private static double[] idx(Path file, int inputs) throws IOException {
        IdxFile images = IdxFile.read(file);
        int[] dims = images.dimensions();
        long perExample = 1;
        for (int d = 1; d < dims.length; d++) {
            perExample *= dims[d];
        }
        if (dims.length < 2 || perExample != inputs) {
            throw new FileFormatException(file, "header", "holds examples of shape " + java.util.Arrays.toString(
                    java.util.Arrays.copyOfRange(dims, Math.min(1, dims.length), dims.length)) + " (" + perExample
                    + " values), but the model takes " + inputs + " inputs");
        }
        float[] values = images.toFloats();
        double[] x = new double[values.length];
        double scale = images.type() == IdxFile.UNSIGNED_BYTE ? IdxDataSets.PIXEL_SCALE : 1.0;
        for (int i = 0; i < x.length; i++) {
            x[i] = values[i] / scale;
        }
        return x;
    }

    /**
     * The image in {@code file}, decoded only after its header has been read and its size found reasonable:
     * a few bytes of header can claim billions of pixels. Every failure names the file.
     */
    static BufferedImage decode(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new FileFormatException(file, "", "is not an image this JDK can read");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > MAX_PIXELS) {
                    throw new FileFormatException(file, "header", String.format(Locale.ROOT, "the image is %d × %d pixels "
                            + "(%.1f megapixels), more than the %d megapixels nn predict decodes; scale it down first",
                            width, height, width * height / 1e6, MAX_PIXELS / 1_000_000));
                }
                return reader.read(0);
            } catch (FileFormatException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
                throw new FileFormatException(file, "", "cannot be decoded as " + reader.getFormatName().toUpperCase(Locale.ROOT)
                        + " (" + why + (e.getCause() != null && e.getCause().getMessage() != null
                                ? ": " + e.getCause().getMessage() : "") + "): it is damaged or truncated");
            } catch (OutOfMemoryError e) {
                throw new FileFormatException(file, "", "does not fit the " + DataSetTooLargeException.size(
                        Runtime.getRuntime().maxMemory()) + " heap once decoded; scale it down first");
            } finally {
                reader.dispose();
            }
        }
    }

    private double[] image(Path file, int inputs) throws IOException {
        int side = (int) Math.round(Math.sqrt(inputs));
        if (side * side != inputs) {
            throw new IllegalArgumentException("the model takes " + inputs + " inputs, not a square image; give "
                    + file + "'s pixels as CSV instead");
        }
        BufferedImage source = decode(file);
        BufferedImage grey = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        try {
            g.drawImage(source.getScaledInstance(side, side, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        } finally {
            g.dispose();
        }
        double[] x = new double[inputs];
        double border = 0;
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                x[r * side + c] = grey.getRaster().getSample(c, r, 0) / (double) IdxDataSets.PIXEL_SCALE;
                if (r == 0 || c == 0 || r == side - 1 || c == side - 1) {
                    border += x[r * side + c];
                }
            }
        }
        boolean flip = switch (invert) {
            case "yes" -> true;
            case "no" -> false;
            case "auto" -> border / (4 * side - 4) > 0.5;
            default -> throw new IllegalArgumentException("--invert must be yes, no or auto, got '" + invert + "'");
        };
        if (flip) {
            for (int i = 0; i < x.length; i++) {
                x[i] = 1.0 - x[i];
            }
        }
        return x;
    }
}
