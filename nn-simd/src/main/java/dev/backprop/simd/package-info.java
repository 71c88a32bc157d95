/**
 * The vectorized engine's home: kernels on the Java Vector API ({@code jdk.incubator.vector}) with a
 * scalar twin of each, selected once at start-up by {@link dev.backprop.simd.VectorSupport}. All use of
 * the incubator module stays in this package, so the rest of the project runs on any JVM.
 */
package dev.backprop.simd;
