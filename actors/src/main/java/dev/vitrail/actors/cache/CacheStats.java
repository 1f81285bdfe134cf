package dev.vitrail.actors.cache;

/**
 * Counters of an {@link EncoderCache}.
 *
 * @param hits lookups answered from the cache
 * @param misses lookups that had to be encoded
 * @param entries entries held
 * @param bytes bytes held (feature values and shapes)
 */
public record CacheStats(long hits, long misses, int entries, long bytes) {}
