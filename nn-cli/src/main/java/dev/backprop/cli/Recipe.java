package dev.backprop.cli;

import dev.backprop.core.Activation;
import dev.backprop.core.Cost;
import dev.backprop.core.Initializer;
import dev.backprop.core.Network;
import dev.backprop.core.train.LearningRateSchedule;
import dev.backprop.core.train.Optimizer;
import dev.backprop.parallel.EngineKind;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The settings of a training run, as {@code nn train} takes them and as a model's provenance stores them,
 * so that {@code --resume} rebuilds the same run from a checkpoint alone. Every value is kept in the text
 * form the command line accepts; parsing it is the validation.
 */
record Recipe(String hidden, String activation, String cost, String optimizer, double learningRate, double momentum,
        String schedule, int batch, int epochs, double l2, long seed, double validation, String engine, String data) {

    /** The prefix of the provenance keys that hold a recipe. */
    static final String PREFIX = "train.";

    Recipe {
        hiddenSizes(hidden);
        Activation.parse(activation);
        Cost.parse(cost);
        LearningRateSchedule.parse(schedule);
        createOptimizer(optimizer, learningRate, momentum);
        if (batch < 0) {
            throw new IllegalArgumentException("--batch must be 0 (full batch) or positive, got " + batch);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (!(l2 >= 0) || !Double.isFinite(l2)) {
            throw new IllegalArgumentException("--l2 must be 0 or positive, got " + l2);
        }
        if (!(validation >= 0 && validation < 1)) {
            throw new IllegalArgumentException("--validation must be a fraction in [0, 1), got " + validation);
        }
        EngineKind.of(engine); // names the unknown engine and the known ones
    }

    /** The network for {@code inputs} inputs and {@code classes} classes. */
    Network network(int inputs, int classes) {
        int[] sizes = hiddenSizes(hidden);
        int[] units = new int[sizes.length + 2];
        units[0] = inputs;
        System.arraycopy(sizes, 0, units, 1, sizes.length);
        units[units.length - 1] = classes;
        Network.Builder b = Network.builder(units).hiddenActivation(Activation.parse(activation));
        if (Cost.parse(cost) == Cost.CROSS_ENTROPY) {
            b.softmaxCrossEntropy();
        } else {
            b.outputActivation(Activation.SIGMOID).cost(Cost.HALF_SSE);
        }
        return b.build();
    }

    /** He's initialization for ReLU layers, Xavier's for the squashing ones. */
    Initializer initializer() {
        return Activation.parse(activation) == Activation.RELU ? Initializer.he() : Initializer.xavier();
    }

    /** A new optimizer in its initial state. */
    Optimizer newOptimizer() {
        return createOptimizer(optimizer, learningRate, momentum);
    }

    LearningRateSchedule learningRateSchedule() {
        return LearningRateSchedule.parse(schedule);
    }

    /** The same recipe trained for {@code newEpochs} epochs. */
    Recipe withEpochs(int newEpochs) {
        return new Recipe(hidden, activation, cost, optimizer, learningRate, momentum, schedule, batch, newEpochs, l2,
                seed, validation, engine, data);
    }

    /** The provenance entries that store this recipe. */
    Map<String, String> toProvenance() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "hidden", hidden);
        m.put(PREFIX + "activation", activation);
        m.put(PREFIX + "cost", cost);
        m.put(PREFIX + "optimizer", optimizer);
        m.put(PREFIX + "lr", Double.toString(learningRate));
        m.put(PREFIX + "momentum", Double.toString(momentum));
        m.put(PREFIX + "schedule", schedule);
        m.put(PREFIX + "batch", Integer.toString(batch));
        m.put(PREFIX + "epochs", Integer.toString(epochs));
        m.put(PREFIX + "l2", Double.toString(l2));
        m.put(PREFIX + "seed", Long.toString(seed));
        m.put(PREFIX + "validation", Double.toString(validation));
        m.put(PREFIX + "engine", engine);
        m.put(PREFIX + "data", data);
        return m;
    }

    /**
     * The recipe stored in a model's provenance.
     *
     * @throws IllegalArgumentException naming the missing or bad entry
     */
    static Recipe fromProvenance(Map<String, String> p) {
        try {
            return new Recipe(get(p, "hidden"), get(p, "activation"), get(p, "cost"), get(p, "optimizer"),
                    Double.parseDouble(get(p, "lr")), Double.parseDouble(get(p, "momentum")), get(p, "schedule"),
                    Integer.parseInt(get(p, "batch")), Integer.parseInt(get(p, "epochs")), Double.parseDouble(get(p, "l2")),
                    Long.parseLong(get(p, "seed")), Double.parseDouble(get(p, "validation")), get(p, "engine"),
                    get(p, "data"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the stored training settings hold a bad number: " + e.getMessage());
        }
    }

    private static String get(Map<String, String> p, String key) {
        String v = p.get(PREFIX + key);
        if (v == null) {
            throw new IllegalArgumentException("the stored training settings lack '" + PREFIX + key
                    + "': this file was not written by nn train");
        }
        return v;
    }

    /** "256,128" as sizes; "" or "none" for no hidden layer. */
    static int[] hiddenSizes(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("none")) {
            return new int[0];
        }
        try {
            int[] sizes = Arrays.stream(t.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            for (int s : sizes) {
                if (s < 1) {
                    throw new NumberFormatException("a layer of " + s + " units");
                }
            }
            return sizes;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--hidden wants layer sizes separated by commas, such as 256,128; got '"
                    + text + "'");
        }
    }

    /** The sizes back in their canonical text form. */
    static String hiddenText(int[] sizes) {
        return sizes.length == 0 ? "none" : Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    private static Optimizer createOptimizer(String name, double lr, double mu) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd" -> Optimizer.sgd(lr);
            case "momentum" -> Optimizer.momentum(lr, mu);
            case "nesterov" -> Optimizer.nesterov(lr, mu);
            case "adam" -> Optimizer.adam(lr);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name
                    + "'; expected sgd, momentum, nesterov or adam");
        };
    }
}
