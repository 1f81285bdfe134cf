/**
 * Packed variable-length helpers shared by the rotary towers: segment attention, rotations, the
 * fused-qkv block and the residual stream through the blocks.
 */
package dev.vitrail.encoders.varlen;
