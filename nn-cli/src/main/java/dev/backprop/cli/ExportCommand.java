package dev.backprop.cli;

import dev.backprop.core.Network;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.tabular.ColumnEncoding;
import dev.backprop.core.tabular.Preprocessing;
import dev.backprop.core.tabular.TargetEncoding;
import dev.backprop.onnx.OnnxExport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nn export}: a model in a format that other tools read. */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Writes a model in a format other tools read: ONNX (opset 13, one Gemm per layer, a "
                + "symbolic batch dimension), for ONNX Runtime and the other ONNX tools. A model trained on a table "
                + "takes the columns' raw values and standardizes them in the graph; a regression answers in the "
                + "target's units.")
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT",
            description = "onnx (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("onnx")) {
            throw new IllegalArgumentException("--format must be onnx, got '" + format + "'");
        }
        Model m = ModelFile.read(model.file);
        OnnxExport.write(out, m);
        Network network = m.network();
        String output = OnnxExport.outputName(m);
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + out + ": ONNX opset " + OnnxExport.OPSET + ", "
                + network.describe() + ", input '" + OnnxExport.INPUT + "' [" + OnnxExport.BATCH + ", "
                + network.inputs() + "], output '" + output + "' [" + OnnxExport.BATCH + ", " + network.outputs() + "]");
        if (m.preprocessing().isPresent()) {
            describeTable(o, m.preprocessing().get());
        }
        return 0;
    }

    /** What a user of the file must feed and gets back, which the network's sizes alone do not say for a table. */
    private static void describeTable(PrintWriter o, Preprocessing pre) {
        List<String> numbers = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (ColumnEncoding c : pre.columns()) {
            if (c instanceof ColumnEncoding.Standardized s) {
                numbers.add(s.name());
                if (s.imputed()) {
                    missing.add(s.name());
                }
            } else if (c instanceof ColumnEncoding.OneHot h) {
                texts.add(h.name() + " (" + h.width() + ")");
            }
        }
        List<String> parts = new ArrayList<>();
        if (!numbers.isEmpty()) {
            parts.add("the raw numbers of " + String.join(", ", numbers) + ", which the graph standardizes");
        }
        if (!texts.isEmpty()) {
            parts.add("1 at the category and 0 elsewhere in the blocks of " + String.join(", ", texts));
        }
        o.println("input: " + String.join("; ", parts) + (missing.isEmpty() ? "" : "; NaN for a missing value of "
                + String.join(", ", missing)) + " (positions in the metadata's " + OnnxExport.COLUMNS_KEY + ")");
        if (pre.target() instanceof TargetEncoding.Classes k) {
            o.println("output: one value per class of '" + k.name() + "': " + String.join(", ", k.classes()));
        } else {
            o.println("output: '" + pre.target().name() + "' in its own units");
        }
    }
}
