package dev.backprop.bench;

import dev.backprop.core.Activation;
import dev.backprop.core.GradientEngine;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Initializer;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.SeededRandom;
import dev.backprop.core.data.DataSet;
import java.util.Arrays;

/**
 * The inputs every gradient benchmark starts from (a network named by its sizes, its weights and a batch)
 * and the step they all measure: Δ over the batch, with its model FLOPs counted.
 */
public final class RandomBatch {
    final Network network;
    final Parameters params;
    final DataSet data;
    final GradientSum sum;
    final long flopsPerBatch;

    /** {@code layers} as "784-256-128-10": sigmoid units, bias on, half-sse, Xavier weights, uniform data. */
    RandomBatch(String layers, int batch) {
        this(layers, batch, "sigmoid-sse");
    }

    /**
     * {@code model} {@code sigmoid-sse}: sigmoid units and the half squared error (docs/MATH.md);
     * {@code relu-softmax}: ReLU hidden units, a softmax output and the cross-entropy (nn train's recipe).
     */
    public RandomBatch(String layers, int batch, String model) {
        network = switch (model) {
            case "sigmoid-sse" -> Network.of(units(layers));
            case "relu-softmax" -> Network.builder(units(layers)).hiddenActivation(Activation.RELU).softmaxCrossEntropy()
                    .build();
            default -> throw new IllegalArgumentException("unknown model '" + model + "'; expected sigmoid-sse or relu-softmax");
        };
        params = Parameters.initialize(network, Initializer.xavier(), 1);
        SeededRandom random = new SeededRandom(2);
        float[] x = new float[batch * network.inputs()];
        float[] y = new float[batch * network.outputs()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) random.nextDouble();
        }
        if (network.cost() == dev.backprop.core.Cost.CROSS_ENTROPY) {
            // targets of the cross-entropy are distributions: one-hot rows, as a classifier trains on
            java.util.Arrays.fill(y, 0f);
            for (int i = 0; i < batch; i++) {
                y[i * network.outputs() + random.nextInt(network.outputs())] = 1f;
            }
        }
        data = DataSet.ofFloats(x, network.inputs(), y, network.outputs());
        sum = GradientSum.zeros(network);
        flopsPerBatch = batch * flopsPerExample();
    }

    /** Δ, Σ J and m over the whole batch, in a new sum: what the determinism check hashes. */
    public GradientSum gradient(GradientEngine engine) {
        GradientSum fresh = GradientSum.zeros(network);
        engine.accumulate(params, data, 0, data.size(), fresh);
        return fresh;
    }

    /** The model's FLOPs of one gradient over the batch. */
    public long flopsPerBatch() {
        return flopsPerBatch;
    }

    /** One gradient over the whole batch. */
    GradientSum step(GradientEngine engine, FlopCounter counter) {
        engine.compute(params, data, 0, data.size(), sum);
        counter.flops += flopsPerBatch;
        return sum;
    }

    static int[] units(String layers) {
        return Arrays.stream(layers.split("-")).mapToInt(Integer::parseInt).toArray();
    }

    /**
     * The model's FLOPs per example: 2 × (forward Σ S_{l+1}·S_l + Δ Σ S_{l+1}·S_l + backward
     * Σ_{l≥2} S_{l+1}·S_l). Bias terms are not counted.
     */
    long flopsPerExample() {
        int[] units = network.unitsPerLayer();
        long macs = 0;
        for (int l = 0; l + 1 < units.length; l++) {
            long product = (long) units[l] * units[l + 1];
            macs += 2 * product + (l > 0 ? product : 0);
        }
        return 2 * macs;
    }
}
