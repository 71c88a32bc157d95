package dev.backprop.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.data.FileFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The scripts under {@code tools/} that measure beside JMH (the C FMA loop, PyTorch), found from where this
 * class was loaded ({@code nn-cli/target/nn.jar} or {@code nn-bench/target/classes} of a checkout), and run as
 * child processes whose output lines are passed on.
 */
final class Tools {
    private Tools() {
    }

    /** The checkout's {@code tools/} directory holding {@code script}, or null when nn runs outside a checkout. */
    static Path find(String script) {
        List<Path> starts = new ArrayList<>();
        try {
            starts.add(Path.of(Tools.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | RuntimeException e) {
            // no code source: the working directory is the only guess
        }
        starts.add(Path.of("").toAbsolutePath());
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("tools").resolve(script))) {
                    return p.resolve("tools");
                }
            }
        }
        return null;
    }

    /** What a child process printed and how it ended. */
    record Outcome(int exitCode, List<String> lines) {
        /** The last line printed, or "no output". */
        String lastLine() {
            return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
        }
    }

    /**
     * Runs {@code command} to its end, its standard output into {@code stdout} when that is not null (else
     * merged with its standard error), passing each line of the other stream to {@code out} as it comes.
     */
    static Outcome run(List<String> command, Path stdout, PrintWriter out) throws IOException {
        ProcessBuilder b = new ProcessBuilder(command);
        if (stdout == null) {
            b.redirectErrorStream(true);
        } else {
            b.redirectOutput(stdout.toFile());
        }
        Process p = b.start();
        p.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                stdout == null ? p.getInputStream() : p.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
                out.println(line);
                out.flush();
            }
        }
        try {
            return new Outcome(p.waitFor(), lines);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Outcome(-1, lines);
        }
    }

    /** A companion's JSON that says why it has no figures, and how to get them when {@code install} is not null. */
    static void writeAbsent(Path file, String install, String reason) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode node = json.createObjectNode().put("available", false).put("reason", reason);
        if (install != null) {
            node.put("install", install);
        }
        byte[] bytes = json.writeValueAsBytes(node);
        AtomicFiles.write(file, o -> o.write(bytes));
    }

    /** The JSON of {@code file}, a companion's or JMH's; an error naming the file when it is not JSON. */
    static JsonNode readJson(Path file) throws IOException {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new FileFormatException(file, "", "is not JSON: " + e.getMessage().split("\n")[0]);
        }
    }
}
