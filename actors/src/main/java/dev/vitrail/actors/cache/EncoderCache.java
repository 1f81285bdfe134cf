package dev.vitrail.actors.cache;

import dev.vitrail.encoders.api.FeatureOutput;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Least-recently-used features by {@link CacheKey}, bounded by bytes. Not thread-safe: owned by one
 * actor. A capacity of 0 disables it (every lookup misses, nothing is kept).
 */
public final class EncoderCache {
  private final long capacityBytes;
  private final LinkedHashMap<CacheKey, FeatureOutput> entries =
      new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;
  private long hits;
  private long misses;

  /** A cache holding at most {@code capacityBytes} bytes of features. */
  public EncoderCache(long capacityBytes) {
    if (capacityBytes < 0) {
      throw new IllegalArgumentException("cache capacity must be >= 0 bytes, got " + capacityBytes);
    }
    this.capacityBytes = capacityBytes;
  }

  /** True when the cache keeps anything. */
  public boolean enabled() {
    return capacityBytes > 0;
  }

  /** The cached features, or null; counts a hit or a miss. */
  public FeatureOutput lookup(CacheKey key) {
    FeatureOutput out = entries.get(key);
    if (out != null) {
      hits++;
    } else {
      misses++;
    }
    return out;
  }

  /** Keeps {@code output}, evicting least-recently-used entries to stay within capacity. */
  public void put(CacheKey key, FeatureOutput output) {
    long size = sizeOf(output);
    if (size > capacityBytes) {
      return;
    }
    FeatureOutput old = entries.put(key, output);
    if (old != null) {
      bytes -= sizeOf(old);
    }
    bytes += size;
    for (Iterator<Map.Entry<CacheKey, FeatureOutput>> it = entries.entrySet().iterator();
        bytes > capacityBytes && it.hasNext(); ) {
      bytes -= sizeOf(it.next().getValue());
      it.remove();
    }
  }

  /** Current counters. */
  public CacheStats stats() {
    return new CacheStats(hits, misses, entries.size(), bytes);
  }

  private static long sizeOf(FeatureOutput out) {
    return 4L * out.values().length + 4L * out.shape().length + 64;
  }
}
