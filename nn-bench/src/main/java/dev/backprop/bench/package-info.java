/**
 * JMH benchmarks of the engines and kernels. Benchmarks measure; tests assert: nothing here decides
 * whether the build passes. Every benchmark forks with {@code --add-modules jdk.incubator.vector}.
 */
package dev.backprop.bench;
