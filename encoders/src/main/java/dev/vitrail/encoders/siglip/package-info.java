/**
 * The SigLIP vision tower with HuggingFace {@code SiglipVisionModel} semantics, attention-pooling
 * head included.
 */
package dev.vitrail.encoders.siglip;
