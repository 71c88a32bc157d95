package dev.backprop.cli;

import dev.backprop.core.Network;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.onnx.OnnxExport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nn export}: a model in a format that other tools read. */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Writes a model in a format other tools read: ONNX (opset 13, one Gemm per layer, a "
                + "symbolic batch dimension), for ONNX Runtime and the other ONNX tools.")
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model written by nn train.")
    Path model;

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
        Model m = ModelFile.read(model);
        OnnxExport.write(out, m);
        Network network = m.network();
        String output = OnnxExport.outputName(network);
        spec.commandLine().getOut().println("wrote " + out + ": ONNX opset " + OnnxExport.OPSET + ", "
                + network.describe() + ", input '" + OnnxExport.INPUT + "' [" + OnnxExport.BATCH + ", "
                + network.inputs() + "], output '" + output + "' [" + OnnxExport.BATCH + ", " + network.outputs() + "]");
        return 0;
    }
}
