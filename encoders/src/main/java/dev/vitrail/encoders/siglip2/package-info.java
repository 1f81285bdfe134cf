/** The SigLIP2 naflex vision tower (HF {@code Siglip2VisionModel}) and its feature encoder. */
package dev.vitrail.encoders.siglip2;
