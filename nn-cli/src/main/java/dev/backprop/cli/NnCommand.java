package dev.backprop.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code nn}: the root command; the work is done by its subcommands. */
@Command(name = "nn",
        mixinStandardHelpOptions = true,
        versionProvider = NnCommand.Version.class,
        description = "Trains fully connected neural networks by back-propagation on CPUs.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, InfoCommand.class, ExportCommand.class, GradientCommand.class, BenchCommand.class, picocli.CommandLine.HelpCommand.class})
final class NnCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = NnCommand.class.getPackage().getImplementationVersion();
            return new String[] {"nn " + (v == null ? "development build" : v) + ", Java "
                    + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
