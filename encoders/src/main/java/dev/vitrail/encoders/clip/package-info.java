/** The CLIP vision tower with HuggingFace {@code CLIPVisionModel} semantics. */
package dev.vitrail.encoders.clip;
