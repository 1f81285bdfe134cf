/** Packed variable-length helpers shared by the rotary towers: segment attention, rotations. */
package dev.vitrail.encoders.varlen;
