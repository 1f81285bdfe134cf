/** The Qwen3-VL vision tower (HF {@code Qwen3VLVisionModel}) with deepstack, and its encoder. */
package dev.vitrail.encoders.qwen3vl;
