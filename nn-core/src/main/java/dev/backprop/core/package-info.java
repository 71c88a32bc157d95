/**
 * The network, its weights and the gradient contract: {@link dev.backprop.core.Network} describes layers,
 * activations, bias and cost; {@link dev.backprop.core.Parameters} holds every weight in one flat array;
 * {@link dev.backprop.core.GradientEngine} computes Δ into a {@link dev.backprop.core.GradientSum}; and
 * {@link dev.backprop.core.ReferenceEngine} does so by the formulas of docs/MATH.md, loop by loop, as the
 * oracle that every faster engine is tested against.
 */
package dev.backprop.core;
