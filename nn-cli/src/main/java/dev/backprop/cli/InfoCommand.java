package dev.backprop.cli;

import dev.backprop.core.Network;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.tabular.Preprocessing;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nn info}: what a model file holds, without running it. */
@Command(name = "info",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Prints a model's network and number of weights, for a model trained on a table its input "
                + "columns with their encoding and its classes or target, and where it came from: the data, the "
                + "seed, the settings and the figures at the end of training.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Override
    public Integer call() throws Exception {
        Model m = ModelFile.read(model.file);
        Network network = m.network();
        PrintWriter o = spec.commandLine().getOut();
        o.println("model: " + model.file);
        o.printf(Locale.ROOT, "network: %s, %,d weights%n", network.describe(), network.parameterCount());
        if (m.preprocessing().isPresent()) {
            Preprocessing pre = m.preprocessing().get();
            o.printf(Locale.ROOT, "task: %s%n", pre.task());
            o.printf(Locale.ROOT, "input columns (%d network inputs):%n", pre.inputSize());
            for (String line : pre.describe()) {
                o.println("  " + line);
            }
            o.println("target: " + pre.target().describe());
        }
        o.println("provenance:");
        for (Map.Entry<String, String> e : m.provenance().entrySet()) {
            o.println("  " + e.getKey() + " = " + e.getValue());
        }
        return 0;
    }
}
