package dev.backprop.core.data;

import java.io.IOException;
import java.nio.file.Path;

/** A child JVM for the memory tests: loads a pair of IDX files and prints what happened. */
public final class LoadIdxDataSet {
    private LoadIdxDataSet() {
    }

    public static void main(String[] args) {
        try {
            DataSet data = IdxDataSets.read(Path.of(args[0]), Path.of(args[1]), 10);
            System.out.println("loaded " + data.size());
        } catch (IOException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(3);
        }
    }
}
