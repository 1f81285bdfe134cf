/** The Kimi K2.5 MoonViT vision tower (HF {@code Kimi_K25VisionModel}), projector and encoder. */
package dev.vitrail.encoders.kimi;
