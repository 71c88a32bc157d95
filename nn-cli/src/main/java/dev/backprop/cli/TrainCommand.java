package dev.backprop.cli;

import dev.backprop.core.Activation;
import dev.backprop.core.Cost;
import dev.backprop.core.GradientEngine;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataFingerprint;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.data.DataSetTooLargeException;
import dev.backprop.core.data.Table;
import dev.backprop.core.data.TableFile;
import dev.backprop.core.train.ValidationSplit;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.io.Checkpoint;
import dev.backprop.core.io.CheckpointDirectory;
import dev.backprop.core.io.CheckpointFile;
import dev.backprop.core.io.DirectoryInUseException;
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
final class TrainCommand implements Callable<Integer>, AutoCloseable {
    static final String CHECKPOINT = CheckpointDirectory.CHECKPOINT;
    static final String PREVIOUS_CHECKPOINT = CheckpointDirectory.PREVIOUS;
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

    /** Opened by {@link #close()}: the Ctrl-C hook waits for it, so that the last line is printed before the JVM ends. */
    private final CountDownLatch finished = new CountDownLatch(1);
    private Thread ctrlC;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        int n = engine.threads();
        boolean interactive = switch (progress) {
            case "bar" -> true;
            case "plain" -> false;
            case "auto" -> Terminals.isInteractive();
            default -> throw new IllegalArgumentException("--progress must be bar, plain or auto, got '" + progress + "'");
        };
        Run run;
        try {
            run = resume != null ? resumeRun() : newRun();
        } catch (RunComplete complete) {
            o.println(complete.getMessage());
            return 0;
        }
        try (CheckpointDirectory checkpoints = run.checkpoints) {
            return train(o, run, n, interactive);
        } catch (OutOfMemoryError e) {
            long max = Runtime.getRuntime().maxMemory();
            throw new IllegalStateException("ran out of memory (" + e.getMessage() + ") in the " + DataSetTooLargeException
                    .size(max) + " heap this JVM may use; raise the limit with -Xmx (for nn: NN_JAVA_OPTS=-Xmx"
                    + DataSetTooLargeException.heapSuggestion(max, max) + ") or train a smaller network", e);
        }
    }

    private Integer train(PrintWriter o, Run run, int n, boolean interactive) throws Exception {
        Recipe recipe = run.recipe;
        Sets sets = TableFile.isTable(Path.of(recipe.data())) ? tableSets(run, o) : imageSets(run, o);
        if (!run.note.isEmpty()) {
            o.println("note: " + run.note);
        }
        if (run.checkpoint != null && run.checkpoint.data().isPresent()) {
            DataFingerprint then = run.checkpoint.data().get();
            String changes = sets.fingerprint().changesSince(then);
            if (!changes.isEmpty()) {
                throw new IllegalArgumentException("the training data changed since the checkpoint " + run.file + ": "
                        + changes + ". The run was trained on " + then.describe() + "; resume it with that data, or "
                        + "start a new run with another --out");
            }
        }
        Network network = sets.network();
        DataSet train = sets.train();
        DataSet held = sets.held();
        DataSet test = sets.test();
        Optimizer opt = recipe.newOptimizer();
        MemoryCheck.beforeTraining(network, recipe.engine(), n, recipe.optimizer());
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
        if (run.checkpoint != null) {
            opt.restore(run.checkpoint.optimizerSteps(), run.checkpoint.optimizerState());
        }
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
        o.println("output: " + run.dir() + (run.checkpoint != null ? " (resuming at epoch " + run.position.epoch()
                + (run.position.atEpochStart() ? "" : ", batch " + run.position.batch()) + ")" : ""));
        o.flush();

        Path dir = run.dir();
        Metrics metrics = new Metrics(dir);
        metrics.readBefore(run.position.epoch());
        CheckpointWriter checkpoints = new CheckpointWriter(run.checkpoints, params, provenance, sets.preprocessing(), opt,
                sets.fingerprint());
        BestEpoch best = patienceEpochs > 0 ? new BestEpoch(dir, new EarlyStopping(patienceEpochs), metrics.rows()) : null;
        try (GradientEngine e = engine.create(recipe.engine())) {
            ProgressBarListener bar = new ProgressBarListener(interactive, train.size(), recipe.epochs());
            ChartWriter chart = new ChartWriter(o, dir.resolve(LearningCurves.FILE), network.describe(), metrics);
            ValidationTrigger validation = new ValidationTrigger(() -> evaluate(e, params, held, test));
            Trainer.Builder builder = Trainer.builder(e).optimizer(opt).schedule(recipe.learningRateSchedule())
                    .batchSize(recipe.batch()).epochs(recipe.epochs()).seed(recipe.seed()).l2(recipe.l2())
                    .listener(bar).listener(validation).listener(new MetricsWriter(o, recipe.epochs(), opt, metrics, validation))
                    .listener(chart);
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
            builder.listener(new CheckpointTrigger(checkpoints::writeInBackground));
            trainer[0] = builder.build();
            Trainer.TrainingSummary summary;
            try {
                summary = trainStoppingOnCtrlC(trainer[0], params, train, run, bar, stopped -> {
                    if (best != null && best.stopped()) {
                        return;
                    }
                    checkpoints.write(stopped.next());
                    o.printf(Locale.ROOT, "stopped at epoch %d, batch %d; checkpoint written to %s. Continue with: nn train "
                            + "--resume %s%n", stopped.next().epoch(), stopped.next().batch(), dir.resolve(CHECKPOINT), dir);
                    o.flush();
                });
            } catch (Throwable t) {
                chart.finish(); // the epochs since the last drawing, however the run ended
                try {
                    checkpoints.finish();
                } catch (RuntimeException alsoFailed) {
                    t.addSuppressed(alsoFailed);
                }
                throw t;
            }
            chart.finish();
            try {
                checkpoints.finish(); // the last epoch's checkpoint is on disk before the model is written
            } catch (UncheckedIOException io) {
                throw io.getCause();
            }
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
            ModelFile.write(dir.resolve(MODEL), new Model(params, provenance, sets.preprocessing()));
            byte[] text = ("test set: " + sets.testDescription() + "\n\n" + report).getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(dir.resolve(EVALUATION), s -> s.write(text));
            List<Metrics.Row> rows = metrics.rows();
            double wall = rows.isEmpty() ? 0 : rows.get(rows.size() - 1).elapsedSeconds();
            o.printf(Locale.ROOT, "done in %.1f s: %s, %s, %s%n", wall, dir.resolve(MODEL), dir.resolve(Metrics.FILE),
                    dir.resolve(LearningCurves.FILE));
            return 0;
        }
    }

    /**
     * The examples of a run, the network they make, what the model file keeps of them, and the fingerprint
     * of the data training draws on (for a table, its rows as the preprocessing encodes them).
     */
    private record Sets(DataSet train, DataSet held, DataSet test, Network network, Preprocessing preprocessing,
            String unit, String testDescription, Map<String, String> provenance, DataFingerprint fingerprint) {
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
                Map.of("classes", String.join(",", source.classNames(all.classes()))),
                DataFingerprint.of(recipe.data(), all));
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
                testName.isEmpty() ? "held-out rows of " + file : testName, Map.of(),
                DataFingerprint.of(recipe.data(), pre.dataSet(all)));
    }

    /**
     * Runs the trainer. Ctrl-C (or SIGTERM) asks it to stop before its next step; the signal's shutdown hook
     * then waits until the command has ended and its last line (the checkpoint written, or an error) is
     * printed, since the JVM exits when the hook returns: {@link Main} closes the command after printing.
     */
    private Trainer.TrainingSummary trainStoppingOnCtrlC(Trainer trainer, Parameters params, DataSet train, Run run,
            ProgressBarListener bar, Consumer<Trainer.TrainingSummary> onStop) throws IOException {
        ctrlC = new Thread(() -> {
            trainer.requestStop();
            try {
                finished.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "nn-train-ctrl-c");
        Runtime.getRuntime().addShutdownHook(ctrlC);
        try {
            Trainer.TrainingSummary summary = trainer.train(params, train, run.position);
            bar.close();
            if (summary.stopped()) {
                onStop.accept(summary);
            }
            return summary;
        } catch (IllegalStateException diverged) {
            Path last = run.dir().resolve(CHECKPOINT);
            throw new IllegalStateException(diverged.getMessage() + (Files.exists(last)
                    ? " The last good checkpoint, " + last + ", is intact." : ""), diverged);
        } catch (UncheckedIOException io) {
            throw io.getCause();
        } finally {
            bar.close();
        }
    }

    /** Lets a waiting Ctrl-C hook return; called by {@link Main} once the command's last line is printed. */
    @Override
    public void close() {
        finished.countDown();
        if (ctrlC != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(ctrlC);
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
        CheckpointDirectory dir;
        try {
            dir = out != null ? CheckpointDirectory.open(out) : OutputDirectory.createDated(Path.of("runs"));
        } catch (DirectoryInUseException e) {
            throw new IOException(e.getMessage() + "; wait for it to finish or choose another --out", e);
        }
        try {
            if (CheckpointDirectory.holdsCheckpoint(dir.path()) || Files.exists(dir.path().resolve(MODEL))) {
                throw new IllegalArgumentException(dir.path() + " already holds a training run; continue it with --resume "
                        + dir.path() + " or choose another --out");
            }
            String dataName = table ? data : data != null ? DataSource.of(data).name()
                    : DataSource.findDefault(System.getenv(DataSource.ENV)).name();
            Recipe recipe = new Recipe(Recipe.hiddenText(Recipe.hiddenSizes(hidden)), activation, cost, optimizer,
                    learningRate, momentum, schedule, batch, epochs, l2, seed, validation, engine.engine, dataName);
            return new Run(recipe, dir, null, null, TrainingPosition.start(recipe.seed()), "", settings);
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    private Run resumeRun() throws IOException {
        for (var matched : spec.commandLine().getParseResult().matchedOptions()) {
            if (!RESUMABLE.contains(matched.longestName())) {
                throw new ParameterException(spec.commandLine(), matched.longestName() + " cannot be given with --resume: "
                        + "the run continues with the settings in its checkpoint (only --epochs, --threads, --progress "
                        + "and --track-test may change)");
            }
        }
        Path file;
        Checkpoint checkpoint;
        String note = "";
        if (Files.isDirectory(resume)) {
            CheckpointDirectory.Found found = CheckpointDirectory.newest(resume);
            file = found.file();
            checkpoint = found.checkpoint();
            note = found.note();
        } else {
            file = resume;
            checkpoint = readNamed(file);
        }
        Recipe recipe = Recipe.fromProvenance(checkpoint.model().provenance());
        Path runDir = file.getParent() == null ? Path.of(".") : file.getParent();
        int trained = checkpoint.position().epoch() - 1;
        if (spec.commandLine().getParseResult().hasMatchedOption("--epochs")) {
            int least = trained + (checkpoint.position().atEpochStart() ? 0 : 1);
            if (epochs < least && !Files.exists(runDir.resolve(MODEL))) {
                throw new IllegalArgumentException(file + " is at epoch " + checkpoint.position().epoch() + ", past --epochs "
                        + epochs + "; a run cannot go back: resume with --epochs " + least + " or more");
            }
            recipe = recipe.withEpochs(epochs);
        }
        if (checkpoint.position().atEpochStart() && trained >= recipe.epochs() && Files.exists(runDir.resolve(MODEL))) {
            throw new RunComplete("the run in " + runDir + " is complete: it trained " + trained + (trained == 1 ? " epoch" : " epochs")
                    + (trained > recipe.epochs() ? ", more than --epochs " + recipe.epochs() : "") + ", and "
                    + runDir.resolve(MODEL) + " is left as it is; to train longer, resume with --epochs above " + trained);
        }
        CheckpointDirectory dir;
        try {
            dir = CheckpointDirectory.open(runDir);
        } catch (DirectoryInUseException e) {
            throw new IOException(e.getMessage() + "; wait for it to finish", e);
        }
        dir.resumedFrom(file);
        return new Run(recipe, dir, file, checkpoint, checkpoint.position(), note, settings(checkpoint));
    }

    /** The checkpoint in {@code file}; when it is damaged, the message says whether the previous one reads. */
    private static Checkpoint readNamed(Path file) throws IOException {
        Path previous = file.resolveSibling(PREVIOUS_CHECKPOINT);
        try {
            return CheckpointFile.read(file);
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
    }

    /** The table settings and the patience a checkpoint's provenance keeps: they are not part of the recipe. */
    private static Map<String, String> settings(Checkpoint checkpoint) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : List.of(PATIENCE, TARGET, TASK, TEST, TEST_FRACTION, IMPUTE)) {
            String value = checkpoint.model().provenance().get(key);
            if (value != null) {
                settings.put(key, value);
            }
        }
        return settings;
    }

    /**
     * What a run starts from: the checkpoint (null for a new run) in {@code file}, a note on the choice, and
     * the settings kept in the provenance beside the recipe.
     */
    private record Run(Recipe recipe, CheckpointDirectory checkpoints, Path file, Checkpoint checkpoint,
            TrainingPosition position, String note, Map<String, String> settings) {
        Path dir() {
            return checkpoints.path();
        }
    }

    /** A resumed run that has nothing left to do: said on standard output, and the command succeeds. */
    private static final class RunComplete extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RunComplete(String message) {
            super(message, null, false, false);
        }
    }
}
