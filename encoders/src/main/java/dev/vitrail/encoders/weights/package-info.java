/**
 * Checkpoint files: the safetensors header (parsed without tensors), memory-mapped files, sharded
 * checkpoints, and tower weights looked up by key.
 */
package dev.vitrail.encoders.weights;
