/**
 * Model files: a documented, versioned, checksummed binary format ({@link dev.backprop.core.io.ModelFile})
 * written atomically ({@link dev.backprop.core.io.AtomicFiles}), so a crash never leaves half a model where
 * a good one was. No Java serialization.
 */
package dev.backprop.core.io;
