/** The Pixtral vision tower (HF {@code PixtralVisionModel}) and its feature encoder. */
package dev.vitrail.encoders.pixtral;
