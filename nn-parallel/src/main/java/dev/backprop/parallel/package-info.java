/**
 * The parallel engine's home: a batch split into chunks whose boundaries depend on the batch alone, each
 * chunk's Δ computed by a SIMD worker on the engine's own ForkJoin pool (never the common pool), and the
 * partial sums combined in a tree whose shape depends on the chunk count alone, so the bits of D do not
 * depend on the number of threads.
 */
package dev.backprop.parallel;
