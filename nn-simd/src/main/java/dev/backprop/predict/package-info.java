/**
 * Serving a trained model inside an application: {@link dev.backprop.predict.Predictor} loads a model
 * file once and answers predictions from any number of threads through the SIMD engine's forward pass,
 * without allocating once it is warm.
 */
package dev.backprop.predict;
