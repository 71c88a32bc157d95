package dev.backprop.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/** The entry point of the {@code nn} command. */
public final class Main {
    /** Exit code of a command whose input was wrong (a file, a shape, a value). */
    public static final int INPUT_ERROR = 1;

    private Main() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true"); // charts are drawn off-screen, with no display
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs {@code nn} with {@code args}, printing to {@code out} and {@code err}, and returns the exit code:
     * 0 on success, 1 for bad input (the message names the file and the place), 2 for a usage error.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new NnCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof IOException || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                err.println("nn " + command.getCommandName() + ": " + message(e));
                err.flush();
                return INPUT_ERROR;
            }
            throw e;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        // Only now, with the last line printed, may a command that holds up the JVM's exit (Ctrl-C) let it go.
        CommandLine.ParseResult parsed = cl.getParseResult();
        while (parsed != null) {
            if (parsed.commandSpec().userObject() instanceof AutoCloseable command) {
                try {
                    command.close();
                } catch (Exception e) {
                    err.println("nn: " + message(e));
                    err.flush();
                }
            }
            parsed = parsed.subcommand();
        }
        return code;
    }

    private static String message(Exception e) {
        if (e instanceof NoSuchFileException missing) {
            return missing.getReason() != null ? missing.getFile() + ": " + missing.getReason()
                    : missing.getFile() + ": no such file";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
