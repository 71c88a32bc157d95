package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options of {@code nn bench} that are checked before anything runs. */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void jvmFlagsForTheForksAreTakenAsTheOptionsValueThoughTheyStartWithADash() {
        CliRunner r = CliRunner.run("bench", "--jvm-args", "-XX:UseAVX=2 -XX:MaxVectorSize=32", "--no-pytorch", "--only",
                "NoSuchBenchmark", "--out", dir.resolve("out").toString());
        assertEquals(1, r.exitCode(), r.err());
        assertEquals("nn bench: --only 'NoSuchBenchmark' matches none of the suite's configurations\n", r.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing ran");
    }

    @Test
    void aJvmFlagThatTheIsaDependsOnMustBeANumber() {
        CliRunner r = CliRunner.run("bench", "--jvm-args", "-XX:UseAVX=two", "--out", dir.resolve("out").toString());
        assertEquals(1, r.exitCode(), r.err());
        assertEquals("nn bench: --jvm-args: the JVM flag '-XX:UseAVX=two' needs a whole number\n", r.err());
    }

    @Test
    void theBenchmarksJarIsFoundWhereTheBuildPutsItBesideNnJar() throws Exception {
        Path nnJar = Files.createDirectories(dir.resolve("nn-cli/target")).resolve("nn.jar");
        Path benchmarks = Files.createDirectories(dir.resolve("nn-bench/target")).resolve("benchmarks.jar");
        Files.write(benchmarks, new byte[1]);
        assertEquals(benchmarks, BenchCommand.benchmarksJar(nnJar, null));
        assertEquals(benchmarks, BenchCommand.benchmarksJar(nnJar, ""));
    }

    @Test
    void aMissingBenchmarksJarIsNamedWithHowToBuildIt() {
        Path elsewhere = dir.resolve("elsewhere.jar");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BenchCommand.benchmarksJar(dir.resolve("nn-cli/target/nn.jar"), elsewhere.toString()));
        assertEquals("the benchmarks jar " + elsewhere + " is missing: build it with "
                + "'mvn -B -pl nn-bench -am package -DskipTests', or set NN_BENCHMARKS_JAR to its path", e.getMessage());
    }
}
