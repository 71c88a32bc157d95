package dev.backprop.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadmeExampleTest {

    @Test
    void theExampleLearnsXor(@TempDir Path dir) throws IOException {
        double[] h = ReadmeExample.run(dir);
        assertTrue(h[0] < 0.1 && h[1] > 0.9 && h[2] > 0.9 && h[3] < 0.1, Arrays.toString(h));
    }

    @Test
    void theReadmeShowsExactlyTheCodeThatIsCompiled() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> source = Files.readAllLines(root.resolve(
                "nn-core/src/test/java/dev/backprop/examples/ReadmeExample.java"));
        int begin = source.indexOf("        // README:begin");
        int end = source.indexOf("        // README:end");
        String snippet = source.subList(begin + 1, end).stream()
                .map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(root.resolve("README.md"));
        assertTrue(readme.contains(snippet), "README.md must contain the example between the README markers of"
                + " ReadmeExample.java, verbatim:\n" + snippet);
    }
}
