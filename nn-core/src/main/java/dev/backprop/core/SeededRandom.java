package dev.backprop.core;

/**
 * A small, fully specified pseudo-random generator (SplitMix64) for everything random in the project:
 * weight initialization and shuffling.
 *
 * <p>Why not {@link java.util.Random} or {@link java.util.SplittableRandom}: the determinism promise is
 * "the same seed gives the same weights everywhere", on JDK 17 and 25 alike, and neither class promises
 * its algorithm (or its Gaussian method) across releases. SplitMix64 is a dozen lines, its whole state is
 * one {@code long} that a checkpoint can store, and the Gaussian below uses {@link StrictMath}, whose
 * results are specified bit for bit. Not thread-safe: one generator per purpose, never shared.
 */
public final class SeededRandom {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    /** A generator whose sequence is fixed by {@code seed}. */
    public SeededRandom(long seed) {
        this.state = seed;
    }

    /** Restores a generator from {@link #state()}; it continues the sequence where that one stopped. */
    public static SeededRandom fromState(long state) {
        return new SeededRandom(state);
    }

    /** The whole state; {@link #fromState(long)} continues from it. */
    public long state() {
        return state;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1), with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [low, high). */
    public double nextDouble(double low, double high) {
        return low + (high - low) * nextDouble();
    }

    /** Uniform in [0, bound), without modulo bias (rejection of the short last interval). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = (1L << 32) - ((1L << 32) % bound);
        long r;
        do {
            r = nextLong() >>> 32;
        } while (r >= limit);
        return (int) (r % bound);
    }

    /** A standard normal value by the Box–Muller transform (one value per two uniforms). */
    public double nextGaussian() {
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 == 0.0);
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** Shuffles {@code values} in place (Fisher–Yates), the same way for the same state. */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
