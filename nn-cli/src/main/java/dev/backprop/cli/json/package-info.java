/**
 * JSON for people and other tools: network weights in the nested layout of docs/MATH.md
 * ({@code weights[l][j][k]} = w_jk^(l+1)) and the gradient command's output, written so that every number
 * reads back as the same double.
 */
package dev.backprop.cli.json;
