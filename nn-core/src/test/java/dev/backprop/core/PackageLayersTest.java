package dev.backprop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * nn-core's packages form layers, data ← core ← train ← tabular ← io: each imports only from the layers before it, so
 * that a package can be read, tested and changed without the ones above it.
 */
class PackageLayersTest {
    private static final List<String> LAYERS = List.of("dev.backprop.core.data", "dev.backprop.core",
            "dev.backprop.core.train", "dev.backprop.core.tabular", "dev.backprop.core.io");
    private static final Pattern IMPORT = Pattern.compile("^import (dev\\.backprop\\.core(?:\\.[a-z]+)*)\\.[A-Z]",
            Pattern.MULTILINE);

    @Test
    void eachPackageImportsOnlyFromTheLayersBeforeIt() throws IOException {
        Path sources = Path.of("src/main/java");
        TreeSet<String> upward = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = sources.relativize(file.getParent()).toString().replace(file.getFileSystem().getSeparator(), ".");
                int layer = LAYERS.indexOf(pkg);
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    int imported = LAYERS.indexOf(m.group(1));
                    if (layer < 0 || imported < 0 || imported > layer) {
                        upward.add(file.getFileName() + " (" + pkg + ") imports " + m.group(1));
                    }
                }
            }
        }
        assertEquals(Map.of(), upward.isEmpty() ? Map.of() : Map.of("upward imports", upward));
    }
}
