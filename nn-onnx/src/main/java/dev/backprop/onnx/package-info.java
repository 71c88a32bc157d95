/**
 * ONNX export: a trained network as an ONNX model (opset 13, one {@code Gemm} per layer with its weights as
 * initializers), so that ONNX Runtime and the other ONNX tools can serve a model trained here; a model
 * trained on a table brings its preprocessing into the graph, so that the file takes the columns' raw values.
 * The messages are ONNX's own generated protobuf classes, as Tribuo ships them.
 */
package dev.backprop.onnx;
