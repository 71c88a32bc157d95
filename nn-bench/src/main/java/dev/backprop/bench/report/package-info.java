/**
 * Benchmark reports: the suite {@code nn bench} runs (which engines, thread counts, networks and batches),
 * JMH's JSON read back into results, the environment of a run, the determinism hashes, the measurements
 * beside JMH's (the C FMA loop that checks the ceiling, PyTorch on the same configurations), the report itself
 * (Markdown and a self-contained HTML page with XChart charts), and the comparison of two runs.
 */
package dev.backprop.bench.report;
