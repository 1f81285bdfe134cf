package dev.vitrail.encoders.api;

import java.util.List;

/**
 * A vision tower on one device that turns a batch of heap inputs into per-input features.
 *
 * <p>Not thread-safe: one owner thread calls it (the encoder worker's pinned thread). Every native
 * tensor it creates during {@link #encode} is released before it returns; weights are freed by
 * {@link #close}.
 */
public interface FeatureEncoder extends AutoCloseable {
  /** The vision family, e.g. {@code "clip"}. */
  String family();

  /** Encodes a batch; the result has one entry per input, in input order. */
  List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec);

  /**
   * Gives memory held for reuse back to the device (after an out-of-memory error, before smaller
   * retries): CUDA towers empty libtorch's caching allocator; the default does nothing.
   */
  default void releaseCachedMemory() {}

  @Override
  void close();
}
