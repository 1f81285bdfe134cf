package dev.vitrail.actors.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Least-recently-used values by {@link CacheKey}, bounded by entries and by bytes (as {@code
 * weigher} counts them). Thread-safe (one lock; lookups are map operations only). A bound of 0
 * disables it: every lookup misses and nothing is kept.
 *
 * @param <V> the cached values (immutable once cached)
 */
public final class ContentCache<V> {
  private final long maxBytes;
  private final int maxEntries;
  private final ToLongFunction<V> weigher;
  private final LinkedHashMap<CacheKey, V> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;
  private long hits;
  private long misses;

  /** A cache of at most {@code maxEntries} values and {@code maxBytes} bytes. */
  public ContentCache(long maxBytes, int maxEntries, ToLongFunction<V> weigher) {
    if (maxBytes < 0 || maxEntries < 0) {
      throw new IllegalArgumentException(
          "cache bounds must be >= 0, got " + maxBytes + " bytes, " + maxEntries + " entries");
    }
    this.maxBytes = maxBytes;
    this.maxEntries = maxEntries;
    this.weigher = weigher;
  }

  /** True when the cache keeps anything. */
  public boolean enabled() {
    return maxBytes > 0 && maxEntries > 0;
  }

  /** The cached value, or null; counts a hit or a miss. */
  public synchronized V lookup(CacheKey key) {
    V v = entries.get(key);
    if (v != null) {
      hits++;
    } else {
      misses++;
    }
    return v;
  }

  /**
   * Looks {@code key} up again right after a {@link #lookup} missed (a value may have arrived in
   * between): when found, that miss counts as a hit instead.
   */
  public synchronized V recheck(CacheKey key) {
    V v = entries.get(key);
    if (v != null) {
      misses--;
      hits++;
    }
    return v;
  }

  /** Keeps {@code value}, evicting least-recently-used entries to stay within both bounds. */
  public synchronized void put(CacheKey key, V value) {
    long size = weigher.applyAsLong(value);
    if (!enabled() || size > maxBytes) {
      return;
    }
    V old = entries.put(key, value);
    if (old != null) {
      bytes -= weigher.applyAsLong(old);
    }
    bytes += size;
    for (Iterator<Map.Entry<CacheKey, V>> it = entries.entrySet().iterator();
        (bytes > maxBytes || entries.size() > maxEntries) && it.hasNext(); ) {
      bytes -= weigher.applyAsLong(it.next().getValue());
      it.remove();
    }
  }

  /** Current counters. */
  public synchronized CacheStats stats() {
    return new CacheStats(hits, misses, entries.size(), bytes);
  }
}
