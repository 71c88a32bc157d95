package dev.backprop.core;

import dev.backprop.core.data.DataSet;

/** The argument checks every engine makes before it touches memory, with one wording for all of them. */
public final class Shapes {
    private Shapes() {
    }

    /** Checks that {@code data}'s examples {@code [from, to)} fit {@code params}' network. */
    public static void checkBatch(Parameters params, DataSet data, int from, int to) {
        Network network = params.network();
        if (data.inputSize() != network.inputs()) {
            throw new IllegalArgumentException("the data has " + data.inputSize()
                    + " inputs per example, but the network's input layer has " + units(network.inputs()));
        }
        if (from < 0 || to > data.size() || from > to) {
            throw new IllegalArgumentException("example range [" + from + ", " + to + ") is outside the data's "
                    + data.size() + " examples");
        }
    }

    /** Also checks the targets and the size of the gradient sum. */
    public static void checkGradient(Parameters params, DataSet data, int from, int to, GradientSum sum) {
        checkBatch(params, data, from, to);
        Network network = params.network();
        if (data.targetSize() != network.outputs()) {
            throw new IllegalArgumentException("the data has " + data.targetSize()
                    + " targets per example, but the network's output layer has " + units(network.outputs()));
        }
        if (sum.deltaSum().length != network.parameterCount()) {
            throw new IllegalArgumentException("the gradient sum has " + sum.deltaSum().length
                    + " entries, but the network has " + network.parameterCount() + " weights");
        }
    }

    private static String units(int n) {
        return n == 1 ? "1 unit" : n + " units";
    }

    /** Also checks that {@code outputs} holds (to − from) × S_L values. */
    public static void checkPrediction(Parameters params, DataSet data, int from, int to, double[] outputs) {
        checkBatch(params, data, from, to);
        long needed = (long) (to - from) * params.network().outputs();
        if (outputs.length < needed) {
            throw new IllegalArgumentException("the output array holds " + outputs.length + " values, but "
                    + (to - from) + " examples × " + params.network().outputs() + " outputs need " + needed);
        }
    }
}
