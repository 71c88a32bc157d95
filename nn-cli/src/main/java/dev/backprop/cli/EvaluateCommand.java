package dev.backprop.cli;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.Network;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.data.Table;
import dev.backprop.core.data.TableFile;
import dev.backprop.core.tabular.Preprocessing;
import dev.backprop.core.tabular.TableEvaluation;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.train.ConfusionMatrix;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nn evaluate}: accuracy, per-class precision and recall, and the confusion matrix of a model. */
@Command(name = "evaluate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Prints a model's accuracy, per-class precision and recall, and its confusion matrix on "
                + "the test images of a data directory (MNIST's layout); for a model trained on a table, on the rows "
                + "of --data FILE.csv (columns matched by name): accuracy, precision, recall and F1, the confusion "
                + "matrix and the log loss, or RMSE, MAE and R².")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--data", paramLabel = "DIR|FILE.csv",
            description = "Directory with t10k- images and labels, or 'sample' (default: the data the model was "
                    + "trained on, else Fashion-MNIST as nn train finds it).")
    String data;

    @Option(names = "--split", defaultValue = "test", paramLabel = "NAME",
            description = "test (t10k- files) or train (default: ${DEFAULT-VALUE}).")
    String split;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        Model m = readModel(model.file);
        if (m.preprocessing().isPresent()) {
            if (data == null) {
                throw new IllegalArgumentException(model.file + " was trained on a table: give the rows to evaluate with --data FILE.csv");
            }
            Preprocessing pre = m.preprocessing().get();
            Table table = TableFile.read(Path.of(data));
            DataSet set = pre.dataSet(table);
            TableEvaluation result;
            try (GradientEngine e = engine.create()) {
                result = TableEvaluation.of(e, m.parameters(), set, pre);
            }
            var out = spec.commandLine().getOut();
            out.printf(java.util.Locale.ROOT, "%s on %,d rows of %s%n%n", model.file, table.size(), data);
            out.print(result.report());
            return 0;
        }
        Network network = m.network();
        DataSource source = data != null ? DataSource.of(data) : defaultSource(m);
        DataSet set = switch (split) {
            case "test" -> source.test();
            case "train" -> source.train();
            default -> throw new IllegalArgumentException("--split must be test or train, got '" + split + "'");
        };
        if (set.inputSize() != network.inputs() || set.classes() != network.outputs()) {
            throw new IllegalArgumentException(model.file + " is a " + network.describe() + " network, but "
                    + source.describe() + " has " + set.inputSize() + " inputs and " + set.classes() + " classes");
        }
        ConfusionMatrix result;
        try (GradientEngine e = engine.create()) {
            result = ConfusionMatrix.evaluate(e, m.parameters(), set);
        }
        var out = spec.commandLine().getOut();
        out.println(model.file + " on the " + split + " set of " + source.describe());
        out.println();
        out.print(result.report(classNames(m, source)));
        return 0;
    }

    /** The model in {@code file}; a directory, such as a run's, is refused with the file that was meant. */
    static Model readModel(Path file) throws java.io.IOException {
        if (java.nio.file.Files.isDirectory(file)) {
            Path inside = file.resolve(TrainCommand.MODEL);
            throw new dev.backprop.core.data.FileFormatException(file, "", "is a directory; --model wants a model file"
                    + (java.nio.file.Files.isRegularFile(inside) ? ", such as " + inside + " in it"
                            : " (" + TrainCommand.MODEL + ", as nn train writes it), and there is none in it"));
        }
        return ModelFile.read(file);
    }

    /** The data a model was trained on when it is still there, otherwise what nn train would use. */
    static DataSource defaultSource(Model m) throws java.io.IOException {
        String trained = m.provenance().get(Recipe.PREFIX + "data");
        if (trained != null && (trained.equals(DataSource.SAMPLE) || java.nio.file.Files.isDirectory(Path.of(trained)))) {
            return DataSource.of(trained);
        }
        return DataSource.findDefault(System.getenv(DataSource.ENV));
    }

    /** The class names stored by nn train, or the class numbers. */
    static String[] classNames(Model m, DataSource source) {
        String stored = m.provenance().get("classes");
        int classes = m.network().outputs();
        if (stored != null && stored.split(",").length == classes) {
            return stored.split(",");
        }
        return source == null ? null : source.classNames(classes).toArray(new String[0]);
    }
}
