/**
 * The {@code nn} command line: one picocli command per job ({@code gradient} now; train, evaluate, predict
 * and bench as they land). Bad input ends with exit code 1 and one line naming the file and the place;
 * usage errors with exit code 2 and the usage.
 */
package dev.backprop.cli;
