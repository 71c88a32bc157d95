/**
 * Learning from a table of one's own: what a CSV's columns are, which task its target makes
 * ({@link dev.backprop.core.tabular.TaskChoice}), splits that keep the classes' proportions
 * ({@link dev.backprop.core.tabular.Splits}), and the {@link dev.backprop.core.tabular.Preprocessing} fitted
 * on the training rows alone that turns a row of named values into the network's input and its output back
 * into a class or a number in the target's units. A model file carries the preprocessing, so whatever
 * predicts from a model (the {@code nn} command, an application) applies exactly what training applied.
 */
package dev.backprop.core.tabular;
