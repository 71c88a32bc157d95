package dev.backprop.cli;

import dev.backprop.cli.json.WeightsJson;
import dev.backprop.core.GradientEngine;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.CsvFiles;
import dev.backprop.core.data.DataSet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nn gradient}: J and D = Δ/m over every row of a CSV file, as JSON. */
@Command(name = "gradient",
        mixinStandardHelpOptions = true,
        defaultValueProvider = EngineOptions.ReferenceByDefault.class,
        description = {
            "Prints the cost J and the gradient D = Δ/m over the rows of a CSV file, as JSON.",
            "",
            "The output is {\"loss\": J, \"gradients\": [...]}, with the gradients in the nested layout of the "
                + "weights file; every number reads back as the same double.",
            "",
            "Each CSV row holds the S_1 inputs followed by the S_L targets, with no header."})
final class GradientCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--weights", required = true, paramLabel = "W.json",
            description = "The network and its weights: {\"layers\":[...], \"activation\":..., \"bias\":..., \"weights\":[...]}.")
    Path weights;

    @Option(names = "--data", required = true, paramLabel = "D.csv", description = "The examples, one per row.")
    Path data;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        Parameters params = WeightsJson.read(weights);
        Network network = params.network();
        DataSet examples = CsvFiles.read(data, network.inputs(), network.outputs());
        GradientSum sum;
        try (GradientEngine e = engine.create()) {
            sum = e.accumulate(params, examples);
        }
        double loss = sum.loss();
        double[] d = sum.gradient();
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i]) || !Double.isFinite(loss)) {
                throw new IllegalStateException("the " + (Double.isFinite(loss) ? "gradient of weight " + i : "cost")
                        + " overflowed to " + (Double.isFinite(loss) ? d[i] : loss)
                        + "; JSON cannot hold it. Scale the inputs or the weights down.");
            }
        }
        spec.commandLine().getOut().println(WeightsJson.gradientJson(network, loss, d));
        return 0;
    }
}
