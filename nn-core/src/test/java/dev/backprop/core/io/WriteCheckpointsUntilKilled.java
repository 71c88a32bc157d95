package dev.backprop.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child JVM for the fault-injection tests: writes the checkpoint files given as arguments 2.. over the
 * target (argument 1), in turn, forever, printing a line after each write, until it is killed.
 */
public final class WriteCheckpointsUntilKilled {
    private WriteCheckpointsUntilKilled() {
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]);
        byte[][] versions = new byte[args.length - 1][];
        for (int i = 1; i < args.length; i++) {
            versions[i - 1] = Files.readAllBytes(Path.of(args[i]));
        }
        for (long n = 0; ; n++) {
            byte[] bytes = versions[(int) (n % versions.length)];
            AtomicFiles.write(target, out -> out.write(bytes));
            System.out.println("wrote " + n);
            System.out.flush();
        }
    }
}
