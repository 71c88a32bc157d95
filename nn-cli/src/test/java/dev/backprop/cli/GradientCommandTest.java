package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backprop.cli.json.WeightsJson;
import dev.backprop.core.Activation;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.core.data.CsvFiles;
import dev.backprop.core.testing.RandomProblems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradientCommandTest {
    @TempDir
    Path dir;

    private Path weights;
    private Path data;
    private Parameters params;

    private void writeProblem(Network network, int rows) throws IOException {
        params = RandomProblems.parameters(network, 0.6, 12);
        weights = dir.resolve("w.json");
        WeightsJson.write(weights, params);
        StringBuilder csv = new StringBuilder();
        var examples = RandomProblems.data(network, rows, 13, true);
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < network.inputs(); k++) {
                csv.append(examples.input(i, k)).append(',');
            }
            for (int k = 0; k < network.outputs(); k++) {
                csv.append(examples.target(i, k)).append(k + 1 < network.outputs() ? "," : "\n");
            }
        }
        data = Files.writeString(dir.resolve("d.csv"), csv);
    }

    /** {@code nn gradient} on the weights and data of {@link #writeProblem}, with {@code options} after them. */
    private CliRunner gradient(String... options) {
        List<String> args = new ArrayList<>(List.of("gradient", "--weights", weights.toString(), "--data", data.toString()));
        args.addAll(List.of(options));
        return CliRunner.run(args.toArray(String[]::new));
    }

    /** {@link #gradient} with {@code options} fails: exit code 1, the one line {@code err}, nothing printed. */
    private void assertRefused(String err, String... options) {
        CliRunner r = gradient(options);
        assertEquals(1, r.exitCode());
        assertEquals(err, r.err());
        assertEquals("", r.out());
    }

    @Test
    void printsLossAndGradientsThatReadBackAsTheSameDoubles() throws IOException {
        Network network = Network.builder(4, 5, 3, 2).activations(
                java.util.List.of(Activation.TANH, Activation.RELU, Activation.SIGMOID)).build();
        writeProblem(network, 7);

        CliRunner r = gradient();

        assertEquals(0, r.exitCode(), r.err());
        GradientSum expected = new ReferenceEngine().accumulate(params, CsvFiles.read(data, 4, 2));
        double[] d = expected.gradient();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(2, json.size(), "exactly loss and gradients");
        assertEquals(Double.doubleToLongBits(expected.loss()), Double.doubleToLongBits(json.get("loss").doubleValue()));
        JsonNode gradients = json.get("gradients");
        assertEquals(network.weightMatrices(), gradients.size());
        for (int w = 0; w < network.weightMatrices(); w++) {
            assertEquals(network.weightRows(w), gradients.get(w).size());
            for (int j = 0; j < network.weightRows(w); j++) {
                JsonNode row = gradients.get(w).get(j);
                assertEquals(network.weightColumns(w), row.size());
                for (int k = 0; k < row.size(); k++) {
                    double printed = Double.parseDouble(row.get(k).asText());
                    double computed = d[network.weightOffset(w) + j * network.weightColumns(w) + k];
                    assertEquals(Double.doubleToLongBits(computed), Double.doubleToLongBits(printed),
                            "gradients[" + w + "][" + j + "][" + k + "]");
                }
            }
        }
    }

    @Test
    void theBundledExampleGivesTheValuesWorkedOutIndependently() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        CliRunner r = CliRunner.run("gradient", "--weights", root.resolve("examples/331/weights.json").toString(),
                "--data", root.resolve("examples/331/data.csv").toString(), "--engine", "reference");
        assertEquals(0, r.exitCode(), r.err());
        // The loss computed by a separate, plain Python transcription of docs/MATH.md over the same three rows.
        assertTrue(r.out().contains("\"loss\" : 0.10752508824848832,"), r.out());
        assertTrue(r.out().contains("[ 0.05077503793655245, 0.03654124740661425, 0.030713859666432586,"
                + " 0.02905744318432252 ]"), r.out());
    }

    @Test
    void theFastEnginesGiveTheReferenceValuesWithinFloatPrecision() throws IOException {
        Network network = Network.builder(9, 17, 3).hiddenActivation(Activation.TANH).build();
        writeProblem(network, 40);
        CliRunner reference = gradient();
        CliRunner simd = gradient("--engine", "simd");
        assertEquals(0, simd.exitCode(), simd.err());
        CliRunner parallel1 = gradient("--engine", "parallel", "--threads", "1");
        CliRunner parallel3 = gradient("--engine", "parallel", "--threads", "3");
        assertEquals(0, parallel3.exitCode(), parallel3.err());
        assertEquals(parallel1.out(), parallel3.out(), "the parallel engine prints the same bits on 1 and 3 threads");
        JsonNode r = new ObjectMapper().readTree(reference.out());
        for (String out : List.of(simd.out(), parallel3.out())) {
            assertCloseJson(r, new ObjectMapper().readTree(out));
        }
    }

    private static void assertCloseJson(JsonNode r, JsonNode s) {
        assertEquals(r.get("loss").doubleValue(), s.get("loss").doubleValue(), 1e-6 * r.get("loss").doubleValue());
        for (int w = 0; w < 2; w++) {
            for (int j = 0; j < r.get("gradients").get(w).size(); j++) {
                for (int k = 0; k < r.get("gradients").get(w).get(j).size(); k++) {
                    assertEquals(r.get("gradients").get(w).get(j).get(k).doubleValue(),
                            s.get("gradients").get(w).get(j).get(k).doubleValue(), 1e-6);
                }
            }
        }
    }

    @Test
    void aCsvRowOfTheWrongWidthNamesTheFileAndLine() throws IOException {
        writeProblem(Network.of(3, 2, 1), 2);
        Files.writeString(data, "1,2,3,4\n1,2,3\n");
        assertRefused("nn gradient: " + data + ": line 2: expected 4 fields (3 inputs, then 1 target), found 3\n");
    }

    @Test
    void weightsOfTheWrongShapeNameTheMatrixAndRow() throws IOException {
        writeProblem(Network.of(3, 2, 1), 1);
        Files.writeString(weights, "{\"layers\":[3,2,1],\"weights\":[[[0,1,2,3],[0,1,2]],[[0,1,2]]]}");
        assertRefused("nn gradient: " + weights + ": weights[0][1]: must have 4 values (the bias weight, then 3 inputs),"
                + " found 3\n");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("missing.json");
        CliRunner r = CliRunner.run("gradient", "--weights", missing.toString(), "--data", "x.csv");
        assertEquals(1, r.exitCode());
        assertEquals("nn gradient: " + missing + ": weights file not found\n", r.err());
    }

    @Test
    void anUnknownEngineListsTheKnownOnes() throws IOException {
        writeProblem(Network.of(3, 2, 1), 1);
        assertRefused("nn gradient: unknown engine 'gpu'; expected one of reference, simd, parallel\n", "--engine", "gpu");
    }

    @Test
    void usageErrorsExitWithTwoAndShowTheUsage() {
        CliRunner r = CliRunner.run("gradient", "--weights", "w.json");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("Missing required option: '--data=D.csv'"), r.err());
        assertTrue(r.err().contains("Usage: nn gradient"), r.err());

        r = CliRunner.run("gradient", "--weights", "w.json", "--data", "d.csv", "--fast");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("Unknown option: '--fast'"), r.err());

        r = CliRunner.run();
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("missing command: choose one of train, evaluate, predict, info, export, gradient, bench, help"), r.err());
    }

    @Test
    void helpDescribesTheCommand() {
        CliRunner r = CliRunner.run("gradient", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("--engine=NAME"), r.out());
        assertTrue(r.out().contains("The engine: reference, simd, parallel (default:"), r.out());
        assertTrue(r.out().replaceAll("\\s+", " ").contains("(default: reference)"), r.out());
        // The other commands share the option, with the parallel engine as their default.
        CliRunner train = CliRunner.run("train", "--help");
        assertTrue(train.out().replaceAll("\\s+", " ").contains("reference, simd, parallel (default: parallel)"), train.out());
        assertTrue(train.out().contains("--threads=N"), train.out());
    }

    @Test
    void theGradientCommandComputesWithTheReferenceEngineUnlessToldOtherwise() throws IOException {
        writeProblem(Network.of(3, 2, 1), 1);
        CliRunner byDefault = gradient();
        CliRunner reference = gradient("--engine", "reference");
        CliRunner simd = gradient("--engine", "simd");
        assertEquals(0, byDefault.exitCode(), byDefault.err());
        assertEquals(reference.out(), byDefault.out());
        assertNotEquals(simd.out(), byDefault.out(), "float32 against float64 differ in the last digits");
    }
}
