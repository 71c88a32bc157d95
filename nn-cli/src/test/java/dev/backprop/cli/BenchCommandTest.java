package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
}
