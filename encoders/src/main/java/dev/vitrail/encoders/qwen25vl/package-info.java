/** The Qwen2.5-VL vision tower: window layout, rotary positions, blocks, merger and loading. */
package dev.vitrail.encoders.qwen25vl;
