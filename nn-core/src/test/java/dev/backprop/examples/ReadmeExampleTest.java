package dev.backprop.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.core.testing.ReadmeSnippets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
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
        ReadmeSnippets.assertReadmeShows("nn-core/src/test/java/dev/backprop/examples/ReadmeExample.java");
    }
}
