package dev.backprop.simd;

/**
 * e^x, the sigmoid and tanh in float32 from additions, multiplications, fused multiply-adds and one
 * division only, in the order that {@link PanamaKernels} follows lane by lane.
 *
 * <p>Why not {@link Math#exp} or the Vector API's {@code EXP}: those may give different last bits in
 * the interpreter, in compiled code and in the vector intrinsic, so a gradient could change between the
 * first and the hundredth call of a run, or with the vector width. IEEE arithmetic is exactly rounded
 * everywhere, so these functions give the same bits in every path, on every thread count and JDK.
 *
 * <p>The method is Cephes' expf: n = round(x · log2 e), r = x − n · ln 2 in two parts, a degree-5
 * polynomial for e^r, and 2^n put into the exponent bits. Error about 2 ulp; inputs are clamped to
 * [−87.3, 88], so 2^n stays a normal float and e^x never overflows or becomes subnormal.
 */
final class FloatFunctions {
    static final float LOW = -87.3f;
    static final float HIGH = 88.0f;
    static final float LOG2E = 1.44269504088896341f;
    /** 1.5 · 2^23: adding it rounds a float of magnitude below 2^22 to an integer, held in the low bits. */
    static final float SHIFTER = 12582912f;
    static final int SHIFTER_BITS = 0x4B400000;
    static final float LN2_HIGH = 0.693359375f;
    static final float LN2_LOW = -2.12194440e-4f;
    static final float P0 = 1.9875691500e-4f;
    static final float P1 = 1.3981999507e-3f;
    static final float P2 = 8.3334519073e-3f;
    static final float P3 = 4.1665795894e-2f;
    static final float P4 = 1.6666665459e-1f;
    static final float P5 = 5.0000001201e-1f;

    private FloatFunctions() {
    }

    static float exp(float x) {
        x = Math.min(Math.max(x, LOW), HIGH);
        float t = Math.fma(x, LOG2E, SHIFTER);
        float n = t - SHIFTER;
        int exponent = Float.floatToRawIntBits(t) - SHIFTER_BITS;
        float r = Math.fma(n, -LN2_HIGH, x);
        r = Math.fma(n, -LN2_LOW, r);
        float p = P0;
        p = Math.fma(p, r, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float y = Math.fma(p, r * r, r) + 1f;
        return y * Float.intBitsToFloat((exponent + 127) << 23);
    }

    /** 1 / (1 + e^−x). */
    static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    /** 1 − 2 / (e^2x + 1): exact at ±∞, absolute error about 1e-7 near 0. */
    static float tanh(float x) {
        return 1f - 2f / (exp(2f * x) + 1f);
    }
}
