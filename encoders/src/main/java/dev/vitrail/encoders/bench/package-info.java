/** Tower benchmark harness: random-weight checkpoints loaded through the real loader, timed against the machine's GEMM rate. */
package dev.vitrail.encoders.bench;
