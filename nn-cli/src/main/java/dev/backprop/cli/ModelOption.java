package dev.backprop.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model}, mixed into every command that reads a model written by {@code nn train}. */
final class ModelOption {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model written by nn train.")
    Path file;
}
