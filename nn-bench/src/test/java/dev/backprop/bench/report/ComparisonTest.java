package dev.backprop.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    @Test
    void aChangeBeyondBothErrorsIsARegressionAndOneWithinThemIsNot() throws Exception {
        List<Comparison.Row> rows = Comparison.compare(BenchResult.read(BenchResultTest.fixture("run-a.json")),
                BenchResult.read(BenchResultTest.fixture("run-b.json")));
        assertEquals(9, rows.size());
        Comparison.Row parallel2 = rows.get(5);
        assertEquals("EngineBenchmark.gradient batch=256 engine=parallel model=sigmoid-sse network=784-256-128-10 threads=2",
                parallel2.key());
        assertEquals(-0.2, parallel2.change(), 1e-12);
        assertEquals("SLOWER", parallel2.verdict());
        assertEquals("same", rows.get(3).verdict(), "simd moved by 1 with errors of 2 and 2");
        assertEquals(0.004, rows.get(3).change(), 1e-12);
        assertEquals("only in B", rows.get(8).verdict());

        String text = Comparison.format(rows, "a.json", "b.json");
        assertTrue(text.contains("   89,600 ex/s       71,680 ex/s    -20.0%  SLOWER"), text);
        assertTrue(text.endsWith("A: a.json\nB: b.json\n1 slower, 0 faster, 7 within the errors of both runs\n"), text);
    }
}
