package dev.backprop.core.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Keeps the README's code examples and the compiled ones the same, for the example tests of every module. */
public final class ReadmeSnippets {
    private ReadmeSnippets() {
    }

    /**
     * Asserts that README.md contains, verbatim, the lines of {@code source} (a path from the repository's
     * root) between {@code // README:begin} and {@code // README:end}, unindented by one method body.
     */
    public static void assertReadmeShows(String source) throws IOException {
        assertPageShows("README.md", source);
    }

    /** As {@link #assertReadmeShows}, for another page of the documentation ({@code page} from the root). */
    public static void assertPageShows(String page, String source) throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> lines = Files.readAllLines(root.resolve(source));
        int begin = lines.indexOf("        // README:begin");
        int end = lines.indexOf("        // README:end");
        assertTrue(begin >= 0 && end > begin, source + " has no README:begin/README:end markers");
        String snippet = lines.subList(begin + 1, end).stream()
                .map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(root.resolve(page));
        assertTrue(readme.contains(snippet), page + " must contain the example between the README markers of "
                + source + ", verbatim:\n" + snippet);
    }
}
