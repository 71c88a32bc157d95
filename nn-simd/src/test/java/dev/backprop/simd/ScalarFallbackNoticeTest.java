package dev.backprop.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An application that embeds the engines, started without the Vector API module and without an SLF4J
 * provider (as this module's tests are), is told about the slow scalar path on standard error.
 */
class ScalarFallbackNoticeTest {
    @Test
    void withoutTheModuleOrAnSlf4jProviderTheScalarPathIsAnnouncedOnStandardError() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ScalarFallbackMain.class.getName()).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals("scalar", out.strip(), err);
        assertTrue(err.contains("WARNING: nn-simd: scalar kernels; the jdk.incubator.vector module is not in this JVM; "
                + "pass --add-modules jdk.incubator.vector to the java command to enable the fast path"), err);
    }
}
