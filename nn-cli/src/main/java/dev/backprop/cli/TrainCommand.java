package dev.backprop.cli;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.train.ValidationSplit;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.io.Checkpoint;
import dev.backprop.core.io.CheckpointFile;
import dev.backprop.core.data.FileFormatException;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.train.ConfusionMatrix;
import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.Trainer;
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

/** {@code nn train}: trains a classifier on IDX images, by default the Fashion-MNIST recipe. */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Trains a classifier on images in IDX files (MNIST's layout), by default Fashion-MNIST.",
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

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with train-/t10k- images and labels (.gz or not), or 'sample' for the "
                    + "bundled sample (default: the full Fashion-MNIST if installed, else the sample).")
    String data;

    @Option(names = {"--hidden", "--layers"}, defaultValue = "256,128", paramLabel = "SIZES",
            description = "Hidden layer sizes; input and output sizes come from the data (default: ${DEFAULT-VALUE}).")
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
            description = "Base learning rate α (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "MU",
            description = "μ of momentum and nesterov (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--schedule", defaultValue = "cosine", paramLabel = "SPEC",
            description = "Learning-rate schedule: constant, step:EVERY:GAMMA or cosine[:FLOOR] (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--batch", defaultValue = "256", paramLabel = "N",
            description = "Examples per step; 0 for full-batch gradient descent (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--epochs", defaultValue = "30", paramLabel = "N",
            description = "Passes over the training data (default: ${DEFAULT-VALUE}); with --resume, the new total.")
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

        DataSource source = DataSource.of(recipe.data());
        o.println("data: " + source.describe());
        DataSet all = source.train();
        DataSet test = source.test();
        DataSet[] split = split(all, recipe.validation(), recipe.seed());
        DataSet train = split[0];
        DataSet held = split[1];
        Network network = recipe.network(all.inputSize(), all.classes());
        if (test.inputSize() != all.inputSize()) {
            throw new IllegalArgumentException("the test images have " + test.inputSize() + " pixels, the training images "
                    + all.inputSize());
        }
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
        provenance.put("classes", String.join(",", source.classNames(all.classes())));

        o.printf(Locale.ROOT, "network: %s, %,d weights%n", network.describe(), network.parameterCount());
        o.printf(Locale.ROOT, "training: %s, schedule %s, batch %s, %d epochs, L2 %s, seed %d; engine %s%s%n",
                opt.describe(), recipe.schedule(), recipe.batch() == 0 ? "full" : Integer.toString(recipe.batch()),
                recipe.epochs(), recipe.l2(), recipe.seed(), recipe.engine(),
                EngineKind.of(recipe.engine()).threaded() ? " on " + n + (n == 1 ? " thread" : " threads") : "");
        o.printf(Locale.ROOT, "examples: %,d for training, %,d for validation, %,d for the final test%n",
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
        try (GradientEngine e = engine.create(recipe.engine())) {
            ProgressBarListener bar = new ProgressBarListener(interactive, train.size(), recipe.epochs());
            ValidationTrigger validation = new ValidationTrigger(() -> evaluate(e, params, held, test));
            Trainer trainer = Trainer.builder(e).optimizer(opt).schedule(recipe.learningRateSchedule()).batchSize(recipe.batch())
                    .epochs(recipe.epochs()).seed(recipe.seed()).l2(recipe.l2())
                    .listener(bar).listener(validation).listener(new MetricsWriter(o, recipe.epochs(), opt, metrics, validation))
                    .listener(new ChartWriter(o, run.dir.resolve(LearningCurves.FILE), network.describe(), metrics))
                    .listener(new CheckpointTrigger(next -> writeCheckpoint(run.dir, params, provenance, opt, next))).build();
            Trainer.TrainingSummary summary = trainStoppingOnCtrlC(trainer, params, train, run, bar, stopped -> {
                writeCheckpoint(run.dir, params, provenance, opt, stopped.next());
                o.printf(Locale.ROOT, "stopped at epoch %d, batch %d; checkpoint written. Continue with: nn train --resume %s%n",
                        stopped.next().epoch(), stopped.next().batch(), run.dir);
                o.flush();
            });
            if (summary.stopped()) {
                return INTERRUPTED;
            }
            ConfusionMatrix result = ConfusionMatrix.evaluate(e, params, test);
            provenance.put("test.accuracy", Double.toString(result.accuracy()));
            ModelFile.write(run.dir.resolve(MODEL), new Model(params, provenance));
            String report = result.report(provenance.get("classes").split(","));
            byte[] text = ("test set: " + source.describe() + "\n\n" + report).getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(run.dir.resolve(EVALUATION), s -> s.write(text));
            List<Metrics.Row> rows = metrics.rows();
            double wall = rows.isEmpty() ? 0 : rows.get(rows.size() - 1).elapsedSeconds();
            o.printf(Locale.ROOT, "test accuracy %.4f on %,d images, never seen in training (%s)%n", result.accuracy(),
                    test.size(), EVALUATION);
            o.printf(Locale.ROOT, "done in %.1f s: %s, %s, %s%n", wall, run.dir.resolve(MODEL), run.dir.resolve(Metrics.FILE),
                    run.dir.resolve(LearningCurves.FILE));
            return 0;
        }
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
        ConfusionMatrix v = held == null ? null : ConfusionMatrix.evaluate(e, params, held);
        ConfusionMatrix t = trackTest ? ConfusionMatrix.evaluate(e, params, test) : null;
        return new ValidationTrigger.Evaluation(v == null ? Double.NaN : v.meanLoss(), v == null ? Double.NaN : v.accuracy(),
                t == null ? Double.NaN : t.accuracy());
    }

    /** Moves the last checkpoint aside, then writes the new one; a crash leaves at least one good file. */
    private static void writeCheckpoint(Path dir, Parameters params, Map<String, String> provenance, Optimizer opt,
            TrainingPosition next) {
        try {
            byte[] bytes = CheckpointFile.encode(new Checkpoint(new Model(params, provenance), next, opt.steps(), opt.state()));
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
        String dataName = data != null ? DataSource.of(data).name() : DataSource.findDefault(System.getenv(DataSource.ENV)).name();
        Recipe recipe = new Recipe(Recipe.hiddenText(Recipe.hiddenSizes(hidden)), activation, cost, optimizer, learningRate,
                momentum, schedule, batch, epochs, l2, seed, validation, engine.engine, dataName);
        Path dir = out != null ? out : OutputDirectory.dated("runs");
        if (Files.exists(dir.resolve(CHECKPOINT)) || Files.exists(dir.resolve(MODEL))) {
            throw new IllegalArgumentException(dir + " already holds a training run; continue it with --resume " + dir
                    + " or choose another --out");
        }
        return new Run(recipe, dir, null, TrainingPosition.start(recipe.seed()));
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
        return new Run(recipe, runDir, checkpoint, checkpoint.position());
    }

    /** What a run starts from. */
    private record Run(Recipe recipe, Path dir, Checkpoint checkpoint, TrainingPosition position) {
    }
}
