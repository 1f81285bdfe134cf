package dev.vitrail.runtime.dedupe;

import dev.vitrail.actors.cache.CacheStats;

/**
 * Counters of an {@link ImageDedupe}.
 *
 * @param features the feature cache (keyed on encoded bytes, model and feature options)
 * @param pixels the decoded-pixel cache
 * @param shared images that waited for the same image of a request already in flight
 * @param decoded images actually decoded and preprocessed
 */
public record DedupeStats(CacheStats features, CacheStats pixels, long shared, long decoded) {}
