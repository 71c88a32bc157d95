package dev.backprop.simd;

import dev.backprop.core.Activation;
import java.util.Arrays;

/**
 * The scalar twin of {@link PanamaKernels}: the same operations in plain loops, used when the Vector API
 * is absent or forced off. The GEMM runs i-p-j so that the innermost loop is a contiguous axpy, which the
 * JIT's own auto-vectorizer can still use.
 */
final class ScalarKernels implements Kernels {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
            float[] b, int bOff, int bRowStride, float[] c, int cOff, int cRowStride, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * cRowStride;
            if (!accumulate) {
                Arrays.fill(c, ci, ci + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float aip = a[aOff + i * aRowStride + p * aColStride];
                int bp = bOff + p * bRowStride;
                for (int j = 0; j < n; j++) {
                    c[ci + j] = Math.fma(aip, b[bp + j], c[ci + j]);
                }
            }
        }
    }

    @Override
    public void activate(Activation g, float[] x, int off, int len) {
        switch (g) {
            case SIGMOID -> {
                for (int i = off; i < off + len; i++) {
                    x[i] = FloatFunctions.sigmoid(x[i]);
                }
            }
            case TANH -> {
                for (int i = off; i < off + len; i++) {
                    x[i] = FloatFunctions.tanh(x[i]);
                }
            }
            case RELU -> {
                for (int i = off; i < off + len; i++) {
                    x[i] = Math.max(x[i], 0f);
                }
            }
            case IDENTITY -> {
            }
            case SOFTMAX -> throw new IllegalArgumentException("softmax is applied per example, not elementwise");
        }
    }

    @Override
    public void multiplyByDerivative(Activation g, float[] a, int aOff, float[] delta, int dOff, int len) {
        switch (g) {
            case SIGMOID -> {
                for (int i = 0; i < len; i++) {
                    float ai = a[aOff + i];
                    delta[dOff + i] *= ai * (1f - ai);
                }
            }
            case TANH -> {
                for (int i = 0; i < len; i++) {
                    float ai = a[aOff + i];
                    delta[dOff + i] *= 1f - ai * ai;
                }
            }
            case RELU -> {
                for (int i = 0; i < len; i++) {
                    if (!(a[aOff + i] > 0f)) {
                        delta[dOff + i] = 0f;
                    }
                }
            }
            case IDENTITY -> {
            }
            case SOFTMAX -> throw new IllegalArgumentException("softmax has no elementwise derivative here");
        }
    }
}
