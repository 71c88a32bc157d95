package dev.backprop.examples;

import dev.backprop.core.GradientEngine;
import dev.backprop.core.GradientSum;
import dev.backprop.core.Initializer;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.ReferenceEngine;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The library example of the README, compiled and run by the build (see ReadmeExampleTest). */
public final class ReadmeExample {
    private ReadmeExample() {
    }

    /** Trains XOR, saves the model in {@code dir}, loads it and returns its four outputs. */
    public static double[] run(Path dir) throws IOException {
        // README:begin
        // A 2-3-1 network: sigmoid units, bias units on, half squared error (the defaults of docs/MATH.md).
        Network network = Network.of(2, 3, 1);
        Parameters params = Parameters.initialize(network, Initializer.uniform(1.0), 2024);

        // XOR: four examples of two inputs and one target, row-major.
        DataSet xor = DataSet.ofDoubles(new double[] {0, 0, 0, 1, 1, 0, 1, 1}, 2, new double[] {0, 1, 1, 0}, 1);

        // One gradient: Δ summed over the m examples, then D = Δ/m, once.
        GradientEngine engine = new ReferenceEngine();
        GradientSum sum = engine.accumulate(params, xor);
        double[] d = sum.gradient();
        System.out.printf("J = %.4f over %d examples, %d partial derivatives%n", sum.loss(), sum.count(), d.length);

        // Full-batch gradient descent with momentum.
        Trainer trainer = Trainer.builder(engine).optimizer(Optimizer.momentum(0.5, 0.9)).fullBatch().epochs(3000).build();
        trainer.train(params, xor);

        // Save (atomically, checksummed), load, predict.
        Path file = dir.resolve("xor.nnm");
        ModelFile.write(file, new Model(params, Map.of("data", "xor", "seed", "2024")));
        Parameters loaded = ModelFile.read(file).parameters();
        double[] h = new double[4];
        engine.predict(loaded, xor, 0, 4, h);
        System.out.printf("XOR: %.3f %.3f %.3f %.3f%n", h[0], h[1], h[2], h[3]);
        // README:end
        return h;
    }
}
