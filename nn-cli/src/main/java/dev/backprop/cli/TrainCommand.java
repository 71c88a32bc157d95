package dev.backprop.cli;

import dev.backprop.core.Activation;
import dev.backprop.core.Cost;
import dev.backprop.core.GradientEngine;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.data.Table;
import dev.backprop.core.data.TableFile;
import dev.backprop.core.train.ValidationSplit;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.io.Checkpoint;
import dev.backprop.core.io.CheckpointFile;
import dev.backprop.core.data.FileFormatException;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.tabular.Preprocessing;
import dev.backprop.core.tabular.Splits;
import dev.backprop.core.tabular.TableEvaluation;
import dev.backprop.core.tabular.Task;
import dev.backprop.core.tabular.TaskChoice;
import dev.backprop.core.train.ConfusionMatrix;
import dev.backprop.core.train.EarlyStopping;
import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.Trainer;
import dev.backprop.core.train.TrainingListener;
import dev.backprop.core.train.TrainingPosition;
import dev.backprop.parallel.EngineKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nn train}: trains a classifier on IDX images, by default the Fashion-MNIST recipe, or a classifier
 * or a regression on a CSV table, with the preprocessing fitted on its training rows inside the model.
 */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Trains a classifier on images in IDX files (MNIST's layout), by default Fashion-MNIST, or a classifier "
                + "or a regression on a CSV table of your own: --data FILE.csv --target COLUMN.",
            "",
            "Without --data it uses the full Fashion-MNIST when it is installed ($" + DataSource.ENV
                + ", or the Debian package dataset-fashion-mnist), otherwise a 4,000-image sample inside nn.",
            "",
            "Each epoch ends with a line of figures and a checkpoint in the output directory; Ctrl-C writes a "
                + "checkpoint and stops, and --resume DIR continues with the same bits as a run that never "
                + "stopped. At the end: model.nnbp, metrics.csv, learning-curves.png and evaluation.txt (the "
                + "test set, which is never used for training or for choosing anything)."})
final class TrainCommand implements Callable<Integer> {
    static final String CHECKPOINT = "checkpoint.nnck";
    static final String PREVIOUS_CHECKPOINT = "checkpoint-previous.nnck";
    static final String MODEL = "model.nnbp";
    static final String EVALUATION = "evaluation.txt";
    /** Exit code of a run stopped by Ctrl-C after writing its checkpoint (128 + SIGINT, as shells expect). */
    static final int INTERRUPTED = 130;

    /** Options that may change on --resume: they do not change the bits of the result. */
    private static final Set<String> RESUMABLE = Set.of("--resume", "--epochs", "--threads", "--progress",
            "--track-test");

    private static final long TABLE_VALIDATION_SALT = 0x5EED_0F_7A11DL;
    private static final long TEST_SALT = 0x7E57_0F_7AB1EL;
    /** Provenance keys of the settings a table brings (the recipe holds the rest). */
    static final String TARGET = "table.target";
    static final String TASK = "table.task";
    static final String TEST = "table.test";
    static final String TEST_FRACTION = "table.test-fraction";
    static final String IMPUTE = "table.impute";
    static final String PATIENCE = "train.patience";
    static final String TABLE_HIDDEN = "64";
    static final int TABLE_BATCH = 32;
    static final int TABLE_EPOCHS = 100;
    static final double TABLE_LEARNING_RATE = 0.01;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR|FILE.csv",
            description = "A CSV table with a header (.csv or .csv.gz; then --target is needed), or a directory with "
                    + "train-/t10k- images and labels (.gz or not), or 'sample' for the bundled sample (default: the "
                    + "full Fashion-MNIST if installed, else the sample).")
    String data;

    @Option(names = "--target", paramLabel = "COLUMN", description = "The column of a CSV to predict.")
    String target;

    @Option(names = "--task", paramLabel = "NAME",
            description = "classification or regression (default: classification for a target of text or whole "
                    + "numbers, regression for other numbers).")
    String task;

    @Option(names = "--test", paramLabel = "FILE.csv",
            description = "A CSV of rows for the final test only (default: --test-fraction of the --data rows).")
    Path test;

    @Option(names = "--test-fraction", defaultValue = "0.2", paramLabel = "F",
            description = "Fraction of a CSV's rows held out for the final test when there is no --test "
                    + "(default: ${DEFAULT-VALUE}); stratified for a classification.")
    double testFraction;

    @Option(names = "--impute", paramLabel = "mean",
            description = "Fill missing numbers of a CSV with the training rows' mean (missing text: all zeros) "
                    + "instead of failing.")
    String impute;

    @Option(names = "--patience", defaultValue = "0", paramLabel = "N",
            description = "Stop when the validation loss has not improved for N epochs and keep the best epoch's "
                    + "weights (default: ${DEFAULT-VALUE}, off).")
    int patience;

    @Option(names = {"--hidden", "--layers"}, defaultValue = "256,128", paramLabel = "SIZES",
            description = "Hidden layer sizes; input and output sizes come from the data (default: ${DEFAULT-VALUE}; "
                    + TABLE_HIDDEN + " for a table).")
    String hidden;

    @Option(names = "--activation", defaultValue = "relu", paramLabel = "NAME",
            description = "Hidden activation: sigmoid, tanh, relu, identity (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--cost", defaultValue = "cross-entropy", paramLabel = "NAME",
            description = "cross-entropy (softmax outputs) or half-sse (sigmoid outputs, docs/MATH.md's cost) "
                    + "(default: ${DEFAULT-VALUE}).")
    String cost;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "NAME",
            description = "sgd, momentum, nesterov or adam (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.001", paramLabel = "RATE",
            description = "Base learning rate α (default: ${DEFAULT-VALUE}; " + TABLE_LEARNING_RATE + " for a table).")
    double learningRate;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "MU",
            description = "μ of momentum and nesterov (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--schedule", defaultValue = "cosine", paramLabel = "SPEC",
            description = "Learning-rate schedule: constant, step:EVERY:GAMMA or cosine[:FLOOR] (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--batch", defaultValue = "256", paramLabel = "N",
            description = "Examples per step; 0 for full-batch gradient descent (default: ${DEFAULT-VALUE}; "
                    + TABLE_BATCH + " for a table).")
    int batch;

    @Option(names = "--epochs", defaultValue = "30", paramLabel = "N",
            description = "Passes over the training data (default: ${DEFAULT-VALUE}; " + TABLE_EPOCHS + " for a table); "
                    + "with --resume, the new total.")
    int epochs;

    @Option(names = "--l2", defaultValue = "0", paramLabel = "LAMBDA",
            description = "L2 penalty λ on the non-bias weights (default: ${DEFAULT-VALUE}).")
    double l2;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "Seed of the initial weights, the validation split and the shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--validation", defaultValue = "0.1", paramLabel = "FRACTION",
            description = "Fraction of the training images held out to validate each epoch (default: ${DEFAULT-VALUE}).")
    double validation;

    @Mixin
    EngineOptions engine;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory for the model, checkpoints, metrics and chart (default: runs/<date-time>).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR|FILE",
            description = "Continue the run in DIR from its checkpoint (or from this checkpoint FILE).")
    Path resume;

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "MODE",
            description = "bar, plain or auto: a bar on a terminal, plain lines otherwise (default: ${DEFAULT-VALUE}).")
    String progress;

    @Option(names = "--track-test",
            description = "Also report test accuracy after every epoch, in the metrics and the chart; it is "
                    + "never used to choose anything.")
    boolean trackTest;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Run run = resume != null ? resumeRun() : newRun();
        Recipe recipe = run.recipe; // the directory is made by the first file written into it, after every check

        Sets sets = TableFile.isTable(Path.of(recipe.data())) ? tableSets(run, o) : imageSets(run, o);
        Network network = sets.network();
        DataSet train = sets.train();
        DataSet held = sets.held();
        DataSet test = sets.test();
        Parameters params;
        if (run.checkpoint != null) {
            params = run.checkpoint.model().parameters();
            if (!params.network().equals(network)) {
                throw new IllegalArgumentException("the checkpoint holds the network " + params.network()
                        + ", but its settings and the data make " + network + ": the data changed");
            }
        } else {
            params = Parameters.initialize(network, recipe.initializer(), recipe.seed());
        }
        Optimizer opt = recipe.newOptimizer();
        if (run.checkpoint != null) {
            opt.restore(run.checkpoint.optimizerSteps(), run.checkpoint.optimizerState());
        }
        int n = engine.threads();
        Map<String, String> provenance = new LinkedHashMap<>(recipe.toProvenance());
        provenance.putAll(run.settings());
        provenance.putAll(sets.provenance());
        int patienceEpochs = Integer.parseInt(run.settings().getOrDefault(PATIENCE, "0"));
        if (patienceEpochs > 0 && held == null) {
            throw new IllegalArgumentException("--patience needs a validation set to watch: --validation must be above 0");
        }

        o.printf(Locale.ROOT, "network: %s, %,d weights%n", network.describe(), network.parameterCount());
        o.printf(Locale.ROOT, "training: %s, schedule %s, batch %s, %d epochs, L2 %s, seed %d; engine %s%s%s%n",
                opt.describe(), recipe.schedule(), recipe.batch() == 0 ? "full" : Integer.toString(recipe.batch()),
                recipe.epochs(), recipe.l2(), recipe.seed(), recipe.engine(),
                EngineKind.of(recipe.engine()).threaded() ? " on " + n + (n == 1 ? " thread" : " threads") : "",
                patienceEpochs > 0 ? "; early stopping after " + patienceEpochs + " epochs without a lower validation loss" : "");
        o.printf(Locale.ROOT, "%s: %,d for training, %,d for validation, %,d for the final test%n", sets.unit(),
                train.size(), held == null ? 0 : held.size(), test.size());
        o.println("output: " + run.dir + (run.checkpoint != null ? " (resuming at epoch " + run.position.epoch()
                + (run.position.atEpochStart() ? "" : ", batch " + run.position.batch()) + ")" : ""));
        o.flush();

        Metrics metrics = new Metrics(run.dir);
        metrics.readBefore(run.position.epoch());
        boolean interactive = switch (progress) {
            case "bar" -> true;
            case "plain" -> false;
            case "auto" -> Terminals.isInteractive();
            default -> throw new IllegalArgumentException("--progress must be bar, plain or auto, got '" + progress + "'");
        };
        BestEpoch best = patienceEpochs > 0 ? new BestEpoch(run.dir, new EarlyStopping(patienceEpochs), metrics.rows()) : null;
        try (GradientEngine e = engine.create(recipe.engine())) {
            ProgressBarListener bar = new ProgressBarListener(interactive, train.size(), recipe.epochs());
            ValidationTrigger validation = new ValidationTrigger(() -> evaluate(e, params, held, test));
            Trainer.Builder builder = Trainer.builder(e).optimizer(opt).schedule(recipe.learningRateSchedule())
                    .batchSize(recipe.batch()).epochs(recipe.epochs()).seed(recipe.seed()).l2(recipe.l2())
                    .listener(bar).listener(validation).listener(new MetricsWriter(o, recipe.epochs(), opt, metrics, validation))
                    .listener(new ChartWriter(o, run.dir.resolve(LearningCurves.FILE), network.describe(), metrics));
            Trainer[] trainer = new Trainer[1];
            if (best != null) {
                builder.listener(new TrainingListener() {
                    @Override
                    public void onEpoch(int epoch, double meanLoss, long nanos) {
                        if (best.record(epoch, validation.latest().validationLoss(), params, provenance, sets.preprocessing())) {
                            trainer[0].requestStop();
                        }
                    }
                });
            }
            builder.listener(new CheckpointTrigger(next -> writeCheckpoint(run.dir, params, provenance, sets.preprocessing(),
                    opt, next)));
            trainer[0] = builder.build();
            Trainer.TrainingSummary summary = trainStoppingOnCtrlC(trainer[0], params, train, run, bar, stopped -> {
                if (best != null && best.stopped()) {
                    return;
                }
                writeCheckpoint(run.dir, params, provenance, sets.preprocessing(), opt, stopped.next());
                o.printf(Locale.ROOT, "stopped at epoch %d, batch %d; checkpoint written. Continue with: nn train --resume %s%n",
                        stopped.next().epoch(), stopped.next().batch(), run.dir);
                o.flush();
            });
            if (summary.stopped() && (best == null || !best.stopped())) {
                return INTERRUPTED;
            }
            if (best != null && best.epoch() > 0) {
                System.arraycopy(best.weights(), 0, params.values(), 0, network.parameterCount());
                provenance.put("train.best-epoch", Integer.toString(best.epoch()));
                o.printf(Locale.ROOT, "%s; the model keeps the weights of epoch %d, whose validation loss %.4f was the lowest%n",
                        best.stopped() ? "early stop after epoch " + (summary.next().epoch() - 1) + ": no lower validation loss for "
                                + patienceEpochs + " epochs" : "done", best.epoch(), best.loss());
            }
            String report;
            if (sets.preprocessing() != null) {
                TableEvaluation result = TableEvaluation.of(e, params, test, sets.preprocessing());
                provenance.put("test." + result.headlineName().toLowerCase(Locale.ROOT), Double.toString(result.headline()));
                report = result.report();
                o.printf(Locale.ROOT, "test %s %.4f on %,d rows, never seen in training (%s)%n", result.headlineName(),
                        result.headline(), test.size(), EVALUATION);
            } else {
                ConfusionMatrix result = ConfusionMatrix.evaluate(e, params, test);
                provenance.put("test.accuracy", Double.toString(result.accuracy()));
                report = result.report(provenance.get("classes").split(","));
                o.printf(Locale.ROOT, "test accuracy %.4f on %,d images, never seen in training (%s)%n", result.accuracy(),
                        test.size(), EVALUATION);
            }
            ModelFile.write(run.dir.resolve(MODEL), new Model(params, provenance, sets.preprocessing()));
            byte[] text = ("test set: " + sets.testDescription() + "\n\n" + report).getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(run.dir.resolve(EVALUATION), s -> s.write(text));
            List<Metrics.Row> rows = metrics.rows();
            double wall = rows.isEmpty() ? 0 : rows.get(rows.size() - 1).elapsedSeconds();
            o.printf(Locale.ROOT, "done in %.1f s: %s, %s, %s%n", wall, run.dir.resolve(MODEL), run.dir.resolve(Metrics.FILE),
                    run.dir.resolve(LearningCurves.FILE));
            return 0;
        }
    }

    /** The examples of a run, the network they make, and what the model file keeps of them. */
    private record Sets(DataSet train, DataSet held, DataSet test, Network network, Preprocessing preprocessing,
            String unit, String testDescription, Map<String, String> provenance) {
    }

    private Sets imageSets(Run run, PrintWriter o) throws IOException {
        Recipe recipe = run.recipe;
        DataSource source = DataSource.of(recipe.data());
        o.println("data: " + source.describe());
        DataSet all = source.train();
        DataSet test = source.test();
        DataSet[] split = split(all, recipe.validation(), recipe.seed());
        Network network = recipe.network(all.inputSize(), all.classes());
        if (test.inputSize() != all.inputSize()) {
            throw new IllegalArgumentException("the test images have " + test.inputSize() + " pixels, the training images "
                    + all.inputSize());
        }
        return new Sets(split[0], split[1], test, network, null, "examples", source.describe(),
                Map.of("classes", String.join(",", source.classNames(all.classes()))));
    }

    /**
     * A CSV's rows split into training, validation and test (stratified for a classification), and the
     * preprocessing fitted on the training rows, or taken from the checkpoint when resuming.
     */
    private Sets tableSets(Run run, PrintWriter o) throws IOException {
        Recipe recipe = run.recipe;
        Map<String, String> settings = run.settings();
        Path file = Path.of(recipe.data());
        String target = settings.get(TARGET);
        Table all = TableFile.read(file);
        String taskName = settings.getOrDefault(TASK, "");
        TaskChoice choice = taskName.isEmpty() ? TaskChoice.infer(all, target)
                : new TaskChoice(Task.parse(taskName), "as --task says");
        Task chosen = choice.task();
        String testName = settings.getOrDefault(TEST, "");
        Table rest;
        Table testRows;
        if (!testName.isEmpty()) {
            rest = all;
            testRows = TableFile.read(Path.of(testName));
        } else {
            double fraction = Double.parseDouble(settings.get(TEST_FRACTION));
            Table[] cut = Splits.split(all, target, chosen, fraction, recipe.seed() ^ TEST_SALT);
            rest = cut[0];
            testRows = cut[1];
            if (testRows.size() == 0) {
                throw new IllegalArgumentException("--test-fraction " + fraction + " of " + all.size()
                        + " rows leaves no rows for the final test; raise it or give --test FILE.csv");
            }
        }
        Table[] tv = Splits.split(rest, target, chosen, recipe.validation(), recipe.seed() ^ TABLE_VALIDATION_SALT);
        Preprocessing pre = run.checkpoint != null && run.checkpoint.model().preprocessing().isPresent()
                ? run.checkpoint.model().preprocessing().get()
                : Preprocessing.fit(tv[0], target, chosen, "mean".equals(settings.get(IMPUTE)));
        o.printf(Locale.ROOT, "data: the table %s (%,d rows, %d columns)%s%n", file, all.size(), all.columns().size(),
                testName.isEmpty() ? "" : "; test rows from " + testName);
        o.println("task: " + chosen + ", " + choice.reason());
        o.println("columns:");
        for (String line : pre.describe()) {
            o.println("  " + line);
        }
        o.println("  target " + pre.target().describe());
        DataSet train = pre.dataSet(tv[0]);
        DataSet held = tv[1].size() == 0 ? null : pre.dataSet(tv[1]);
        DataSet test = pre.dataSet(testRows);
        int[] hiddenSizes = Recipe.hiddenSizes(recipe.hidden());
        int[] units = new int[hiddenSizes.length + 2];
        units[0] = pre.inputSize();
        System.arraycopy(hiddenSizes, 0, units, 1, hiddenSizes.length);
        units[units.length - 1] = pre.target().outputs();
        Network network = chosen == Task.CLASSIFICATION ? recipe.network(pre.inputSize(), pre.target().outputs())
                : Network.builder(units).hiddenActivation(Activation.parse(recipe.activation()))
                        .outputActivation(Activation.IDENTITY).cost(Cost.HALF_SSE).build();
        return new Sets(train, held, test, network, pre, "rows",
                testName.isEmpty() ? "held-out rows of " + file : testName, Map.of());
    }

    /**
     * Runs the trainer. Ctrl-C (or SIGTERM) asks it to stop before its next step; the signal's shutdown hook
     * then waits until {@code onStop} has written the checkpoint, since the JVM exits when the hook returns.
     */
    private static Trainer.TrainingSummary trainStoppingOnCtrlC(Trainer trainer, Parameters params, DataSet train, Run run,
            ProgressBarListener bar, Consumer<Trainer.TrainingSummary> onStop) throws IOException {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            trainer.requestStop();
            try {
                finished.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "nn-train-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Trainer.TrainingSummary summary = trainer.train(params, train, run.position);
            bar.close();
            if (summary.stopped()) {
                onStop.accept(summary);
            }
            return summary;
        } catch (IllegalStateException diverged) {
            Path last = run.dir.resolve(CHECKPOINT);
            throw new IllegalStateException(diverged.getMessage() + (Files.exists(last)
                    ? " The last good checkpoint, " + last + ", is intact." : ""), diverged);
        } catch (UncheckedIOException io) {
            throw io.getCause();
        } finally {
            bar.close();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and returns now that the latch is open
            }
        }
    }

    private ValidationTrigger.Evaluation evaluate(GradientEngine e, Parameters params, DataSet held, DataSet test) {
        if (!test.hasLabels()) { // a regression: the validation loss alone
            return new ValidationTrigger.Evaluation(held == null ? Double.NaN : meanCost(e, params, held), Double.NaN,
                    Double.NaN);
        }
        ConfusionMatrix v = held == null ? null : ConfusionMatrix.evaluate(e, params, held);
        ConfusionMatrix t = trackTest ? ConfusionMatrix.evaluate(e, params, test) : null;
        return new ValidationTrigger.Evaluation(v == null ? Double.NaN : v.meanLoss(), v == null ? Double.NaN : v.accuracy(),
                t == null ? Double.NaN : t.accuracy());
    }

    /** J over {@code data}: the mean cost of its examples. */
    private static double meanCost(GradientEngine e, Parameters params, DataSet data) {
        double[] out = TableEvaluation.outputs(e, params, data);
        int k = params.network().outputs();
        double[] target = new double[k];
        double sum = 0;
        for (int i = 0; i < data.size(); i++) {
            data.readTargets(i, target, 0);
            sum += params.network().cost().of(out, i * k, target);
        }
        return sum / data.size();
    }

    /** Moves the last checkpoint aside, then writes the new one; a crash leaves at least one good file. */
    private static void writeCheckpoint(Path dir, Parameters params, Map<String, String> provenance,
            Preprocessing preprocessing, Optimizer opt, TrainingPosition next) {
        try {
            byte[] bytes = CheckpointFile.encode(new Checkpoint(new Model(params, provenance, preprocessing), next, opt.steps(), opt.state()));
            Path current = dir.resolve(CHECKPOINT);
            if (Files.exists(current)) {
                Files.move(current, dir.resolve(PREVIOUS_CHECKPOINT), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
            AtomicFiles.write(current, out -> out.write(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot write the checkpoint in " + dir + ": " + e.getMessage(), e));
        }
    }

    /** Training and validation sets (the second null when none are held out), with the option named on failure. */
    static DataSet[] split(DataSet all, double fraction, long seed) {
        ValidationSplit split;
        try {
            split = ValidationSplit.of(all, fraction, seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--validation " + fraction + " leaves no training examples of " + all.size(), e);
        }
        return new DataSet[] {split.training(), split.validation()};
    }

    private Run newRun() throws IOException {
        boolean table = data != null && TableFile.isTable(Path.of(data));
        if (table) {
            // A table is small next to an image set: a narrower network, smaller batches and more epochs
            // are the better start; each may still be given.
            var parsed = spec.commandLine().getParseResult();
            hidden = parsed.hasMatchedOption("--hidden") ? hidden : TABLE_HIDDEN;
            batch = parsed.hasMatchedOption("--batch") ? batch : TABLE_BATCH;
            epochs = parsed.hasMatchedOption("--epochs") ? epochs : TABLE_EPOCHS;
            learningRate = parsed.hasMatchedOption("--lr") ? learningRate : TABLE_LEARNING_RATE;
        }
        String dataName = table ? data : data != null ? DataSource.of(data).name()
                : DataSource.findDefault(System.getenv(DataSource.ENV)).name();
        Map<String, String> settings = new LinkedHashMap<>();
        if (patience < 0) {
            throw new IllegalArgumentException("--patience must be 0 (off) or a number of epochs, got " + patience);
        }
        if (patience > 0) {
            settings.put(PATIENCE, Integer.toString(patience));
        }
        if (table) {
            if (target == null) {
                throw new IllegalArgumentException("--target COLUMN is needed with a CSV --data: it names the column to predict");
            }
            if (impute != null && !impute.equals("mean")) {
                throw new IllegalArgumentException("--impute knows only 'mean', got '" + impute + "'");
            }
            if (test != null && spec.commandLine().getParseResult().hasMatchedOption("--test-fraction")) {
                throw new IllegalArgumentException("--test and --test-fraction exclude each other: the test rows come from one");
            }
            if (!(testFraction > 0 && testFraction < 1)) {
                throw new IllegalArgumentException("--test-fraction must be a fraction in (0, 1), got " + testFraction);
            }
            settings.put(TARGET, target);
            settings.put(TASK, task == null ? "" : Task.parse(task).toString());
            settings.put(TEST, test == null ? "" : test.toString());
            settings.put(TEST_FRACTION, Double.toString(testFraction));
            settings.put(IMPUTE, impute == null ? "" : impute);
        } else {
            for (String option : List.of("--target", "--task", "--test", "--test-fraction", "--impute")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new IllegalArgumentException(option + " applies to a CSV table given as --data FILE.csv");
                }
            }
        }
        Recipe recipe = new Recipe(Recipe.hiddenText(Recipe.hiddenSizes(hidden)), activation, cost, optimizer, learningRate,
                momentum, schedule, batch, epochs, l2, seed, validation, engine.engine, dataName);
        Path dir = out != null ? out : OutputDirectory.dated("runs");
        if (Files.exists(dir.resolve(CHECKPOINT)) || Files.exists(dir.resolve(MODEL))) {
            throw new IllegalArgumentException(dir + " already holds a training run; continue it with --resume " + dir
                    + " or choose another --out");
        }
        return new Run(recipe, dir, null, TrainingPosition.start(recipe.seed()), settings);
    }

    private Run resumeRun() throws IOException {
        for (var matched : spec.commandLine().getParseResult().matchedOptions()) {
            if (!RESUMABLE.contains(matched.longestName())) {
                throw new ParameterException(spec.commandLine(), matched.longestName() + " cannot be given with --resume: "
                        + "the run continues with the settings in its checkpoint (only --epochs, --threads, --progress "
                        + "and --track-test may change)");
            }
        }
        Path file = Files.isDirectory(resume) ? resume.resolve(CHECKPOINT) : resume;
        Path previous = file.resolveSibling(PREVIOUS_CHECKPOINT);
        Checkpoint checkpoint;
        try {
            checkpoint = CheckpointFile.read(file);
        } catch (IOException e) {
            if (!file.toAbsolutePath().equals(previous.toAbsolutePath()) && Files.exists(previous)) {
                int epoch;
                try {
                    epoch = CheckpointFile.read(previous).position().epoch();
                } catch (IOException alsoBad) {
                    throw e;
                }
                throw new IOException(e.getMessage() + ". The previous checkpoint is intact (it resumes at epoch " + epoch
                        + "): continue from it with --resume " + previous, e);
            }
            throw e;
        }
        Recipe recipe = Recipe.fromProvenance(checkpoint.model().provenance());
        if (spec.commandLine().getParseResult().hasMatchedOption("--epochs")) {
            recipe = recipe.withEpochs(epochs);
        }
        Path runDir = file.getParent() == null ? Path.of(".") : file.getParent();
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : List.of(PATIENCE, TARGET, TASK, TEST, TEST_FRACTION, IMPUTE)) {
            String value = checkpoint.model().provenance().get(key);
            if (value != null) {
                settings.put(key, value);
            }
        }
        return new Run(recipe, runDir, checkpoint, checkpoint.position(), settings);
    }

    /** What a run starts from. */
    private record Run(Recipe recipe, Path dir, Checkpoint checkpoint, TrainingPosition position,
            Map<String, String> settings) {
    }
}
