package dev.vitrail.encoders.api;

/**
 * Features of one input on the heap.
 *
 * @param values float32 values in row-major order of {@code shape}
 * @param shape e.g. {@code [tokens, hidden]}
 */
public record FeatureOutput(float[] values, int[] shape) {}
