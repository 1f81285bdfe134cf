/** Checkpoint files: the safetensors header format, parsed without touching tensors. */
package dev.vitrail.encoders.weights;
