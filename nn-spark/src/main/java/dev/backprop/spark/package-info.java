/**
 * Training on Apache Spark for data that outgrows one machine. The data set is a cached RDD of packed
 * partitions ({@link dev.backprop.spark.SparkDataSet}); each step broadcasts the weights, every partition
 * computes its {@link dev.backprop.core.GradientSum} with the SIMD or parallel engine of its executor, the
 * partial sums are combined in a pairwise tree whose shape depends on the partition count only, and the driver
 * runs the one nn-core {@link dev.backprop.core.train.Trainer} on those sums ({@link dev.backprop.spark.SparkTrainer}).
 */
package dev.backprop.spark;
