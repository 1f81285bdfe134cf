/** Reading HuggingFace safetensors checkpoints by memory mapping and handing tensors to towers by key. */
package dev.vitrail.encoders.weights;
