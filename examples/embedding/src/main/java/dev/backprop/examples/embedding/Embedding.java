package dev.backprop.examples.embedding;

import dev.backprop.core.Activation;
import dev.backprop.core.Initializer;
import dev.backprop.core.Network;
import dev.backprop.core.Parameters;
import dev.backprop.core.SeededRandom;
import dev.backprop.core.data.DataSet;
import dev.backprop.core.io.Model;
import dev.backprop.core.io.ModelFile;
import dev.backprop.core.train.Optimizer;
import dev.backprop.core.train.Trainer;
import dev.backprop.onnx.OnnxExport;
import dev.backprop.predict.Predictor;
import dev.backprop.simd.SimdEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Train, save, load, serve: a classifier of points inside or outside a circle, trained by the SIMD engine,
 * written as a model file, loaded by a {@link Predictor} and asked about points it has not seen; then
 * exported to ONNX for other runtimes. Exits with 1 when the predictor is less than 95% right.
 */
public final class Embedding {
    private Embedding() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target"));

        // 1. Train: 2 inputs, 16 tanh units, a softmax over "outside" and "inside".
        Network network = Network.builder(2, 16, 2).hiddenActivation(Activation.TANH).softmaxCrossEntropy().build();
        Parameters params = Parameters.initialize(network, Initializer.xavier(), 42);
        DataSet train = circle(2000, 1);
        Trainer trainer = Trainer.builder(new SimdEngine()).optimizer(Optimizer.adam(0.02)).batchSize(64)
                .epochs(60).seed(7).build();
        trainer.train(params, train);

        // 2. Save, with what a reader of the file should know.
        Path file = dir.resolve("circle.nnbp");
        ModelFile.write(file, new Model(params, Map.of("classes", "outside,inside", "data", "circle, seed 1")));

        // 3. Load once, then predict: one example at a time, as a service would.
        Predictor predictor = Predictor.load(file);
        SeededRandom random = new SeededRandom(2);
        float[] point = new float[2];
        float[] probabilities = new float[2];
        int right = 0;
        int n = 1000;
        for (int i = 0; i < n; i++) {
            point[0] = (float) random.nextDouble(-1, 1);
            point[1] = (float) random.nextDouble(-1, 1);
            predictor.predict(point, probabilities);
            int predicted = probabilities[1] > probabilities[0] ? 1 : 0;
            right += predicted == inside(point[0], point[1]) ? 1 : 0;
        }
        double accuracy = (double) right / n;
        float[] centre = predictor.predict(new float[] {0, 0});
        System.out.printf("the centre is inside with probability %.3f%n", centre[1]);
        System.out.printf("accuracy %.3f on %d new points%n", accuracy, n);

        // 4. Carry it away: the same network as ONNX.
        Path onnx = dir.resolve("circle.onnx");
        OnnxExport.write(onnx, predictor.model());
        System.out.println("wrote " + file + " and " + onnx);
        if (accuracy < 0.95) {
            System.exit(1);
        }
    }

    /** 1 inside the circle of area 2 (half the square [−1, 1]²), else 0. */
    static int inside(double x, double y) {
        return x * x + y * y < 2 / Math.PI ? 1 : 0;
    }

    static DataSet circle(int m, long seed) {
        SeededRandom random = new SeededRandom(seed);
        float[] x = new float[2 * m];
        int[] labels = new int[m];
        for (int i = 0; i < m; i++) {
            x[2 * i] = (float) random.nextDouble(-1, 1);
            x[2 * i + 1] = (float) random.nextDouble(-1, 1);
            labels[i] = inside(x[2 * i], x[2 * i + 1]);
        }
        return DataSet.classification(x, 2, labels, 2);
    }
}
