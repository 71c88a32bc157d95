package dev.backprop.bench.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BenchRunnerTest {
    @Test
    void theForksNoticesAreDroppedAndEverythingElseIsKept() {
        assertTrue(BenchRunner.isNotice("WARNING: Using incubator modules: jdk.incubator.vector"));
        assertTrue(BenchRunner.isNotice("WARNING: A terminally deprecated method in sun.misc.Unsafe has been called"));
        assertTrue(BenchRunner.isNotice("WARNING: sun.misc.Unsafe::objectFieldOffset has been called by "
                + "org.openjdk.jmh.util.Utils (file:/work/main/nn-cli/target/nn.jar)"));
        assertTrue(BenchRunner.isNotice("WARNING: Please consider reporting this to the maintainers of class "
                + "org.openjdk.jmh.util.Utils"));
        assertFalse(BenchRunner.isNotice("WARNING: Unrecognized VM option 'UseFoo'"));
        assertFalse(BenchRunner.isNotice("java.lang.OutOfMemoryError: Java heap space"));
        assertFalse(BenchRunner.isNotice("<failure>"));
    }
}
