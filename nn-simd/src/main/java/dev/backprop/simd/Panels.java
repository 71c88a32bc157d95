package dev.backprop.simd;

/**
 * The packed layout of a k × n right-hand operand B, the order in which the GEMM reads it: k is cut into
 * blocks of {@value #KC} rows and n into strips of {@value #WIDTH} columns (the last of each narrower),
 * and each block × strip is stored row after row, {@code width} floats a row. The block starting at row
 * p0 holds rows [p0, p0 + h) and starts at p0·n; its strip starting at column j0 starts h·j0 further on.
 * The layout is the same size as B. A B narrower than {@value #NARROW} columns, as the weights into a
 * network's few outputs are, is kept column by column instead (B(p, j) at j·k + p): its products are
 * dot products along k, since a register tile of columns would be mostly empty.
 *
 * <p>{@link FloatWeights} keeps the weights in this layout, so the products with the weights read
 * consecutive memory without packing a panel per block of examples; in a 1024-wide layer, rows of Wᵀ
 * 4 KiB apart would otherwise share cache sets. {@value #WIDTH} is a multiple of the register tile of
 * every vector width (12, 24 and 48 floats), so a strip never splits a tile.
 */
final class Panels {
    /** Rows of B per block: a strip of B stays in L1/L2 while every row tile of A streams past it. */
    static final int KC = 512;
    /** Columns per strip. */
    static final int WIDTH = 48;
    /** B with fewer columns is kept column by column. */
    static final int NARROW = 16;

    private Panels() {
    }

    /** Where the strip starting at column j0 of the block starting at row p0 begins. */
    static int strip(int k, int n, int p0, int j0) {
        return p0 * n + Math.min(KC, k - p0) * j0;
    }

    /** Whether a B of n columns is kept column by column. */
    static boolean narrow(int n) {
        return n < NARROW;
    }

    /** Where B(p, j) is. */
    static int index(int k, int n, int p, int j) {
        if (narrow(n)) {
            return j * k + p;
        }
        int p0 = p - p % KC;
        int j0 = j - j % WIDTH;
        return strip(k, n, p0, j0) + (p - p0) * Math.min(WIDTH, n - j0) + (j - j0);
    }
}
