/**
 * Training: the {@link dev.backprop.core.train.Trainer} loop (full-batch gradient descent or mini-batch SGD
 * with seeded shuffling), the optimizers (SGD, momentum, Nesterov, Adam) and the listener that reports
 * each step and epoch.
 */
package dev.backprop.core.train;
