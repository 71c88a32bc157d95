package dev.backprop.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.backprop.core.SeededRandom;
import dev.backprop.core.io.Model;
import dev.backprop.onnx.OnnxExport;
import dev.backprop.predict.Predictor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The latency of one prediction of one example: {@link Predictor} against ONNX Runtime's Java API running
 * the same model, exported by {@link OnnxExport}, in the same JVM. ONNX Runtime is measured twice: the way
 * its API is usually called (a new input tensor per call), and at its best (one input tensor over a direct
 * buffer, refilled before each call); both read the output into the same array the predictor fills. Setup
 * checks that the two agree within 1e-5 before anything is measured.
 *
 * <p>Run on a quiet machine, for instance
 * {@code java --add-modules jdk.incubator.vector -jar nn-bench/target/benchmarks.jar PredictorBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
public class PredictorBenchmark extends VectorBenchmark {
    @Param({"784-256-128-10"})
    public String network;

    /** {@code relu-softmax} (nn train's recipe) or {@code sigmoid-sse} (MATH.md's network). */
    @Param({"relu-softmax"})
    public String model;

    /** ONNX Runtime's threads within an operator: 1, like the predictor on the calling thread. */
    @Param({"1"})
    public int ortThreads;

    private Predictor predictor;
    private float[] features;
    private float[] out;
    private long[] shape;
    private OrtEnvironment environment;
    private OrtSession.SessionOptions options;
    private OrtSession session;
    private FloatBuffer direct;
    private OnnxTensor reusedInput;

    @Setup
    public void setUp() throws OrtException {
        RandomBatch problem = new RandomBatch(network, 1, model);
        Model m = new Model(problem.params, Map.of());
        predictor = Predictor.of(m);
        features = new float[predictor.inputs()];
        SeededRandom random = new SeededRandom(7);
        for (int k = 0; k < features.length; k++) {
            features[k] = (float) random.nextDouble();
        }
        out = new float[predictor.outputs()];
        shape = new long[] {1, features.length};

        environment = OrtEnvironment.getEnvironment();
        options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(ortThreads);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = environment.createSession(OnnxExport.encode(m), options);
        direct = ByteBuffer.allocateDirect(4 * features.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
        reusedInput = OnnxTensor.createTensor(environment, direct, shape);

        float[] expected = predictor().clone();
        float[] actual = onnxRuntime();
        for (int j = 0; j < expected.length; j++) {
            if (Math.abs(expected[j] - actual[j]) > 1e-5) {
                throw new IllegalStateException("ONNX Runtime gives " + actual[j] + " for output " + j
                        + ", the predictor " + expected[j]);
            }
        }
    }

    @TearDown
    public void tearDown() throws OrtException {
        reusedInput.close();
        session.close();
        options.close();
    }

    @Benchmark
    public float[] predictor() {
        predictor.predict(features, out);
        return out;
    }

    @Benchmark
    public float[] onnxRuntime() throws OrtException {
        try (OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(features), shape);
                OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            ((OnnxTensor) result.get(0)).getFloatBuffer().get(out);
        }
        return out;
    }

    @Benchmark
    public float[] onnxRuntimeReusedInput() throws OrtException {
        direct.clear();
        direct.put(features);
        try (OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, reusedInput))) {
            ((OnnxTensor) result.get(0)).getFloatBuffer().get(out);
        }
        return out;
    }
}
