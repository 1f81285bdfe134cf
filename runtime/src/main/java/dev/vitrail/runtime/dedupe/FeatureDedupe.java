package dev.vitrail.runtime.dedupe;

import dev.vitrail.actors.cache.CacheKey;
import dev.vitrail.actors.cache.CacheStats;
import dev.vitrail.actors.cache.ContentCache;
import dev.vitrail.encoders.api.FeatureOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The feature half of {@link ImageDedupe}: each encoded image is answered from the feature cache,
 * or waits for the encode of the same image already running (for another request, or earlier in
 * this one), or is encoded, the rest in one call. An image whose shared encode failed is encoded
 * again for each request that waited for it, so each gets its own answer (and its own error)
 * exactly once. The in-flight map holds only images admitted and not yet answered, so it is bounded
 * by admission. Thread-safe.
 */
final class FeatureDedupe {
  private final String identity;
  private final ContentCache<FeatureOutput> features;
  private final ConcurrentHashMap<CacheKey, CompletableFuture<FeatureOutput>> inFlight =
      new ConcurrentHashMap<>();
  private final LongAdder shared = new LongAdder();

  FeatureDedupe(DedupeSettings settings, String identity) {
    this.identity = identity;
    this.features =
        new ContentCache<>(
            settings.maxBytes(),
            settings.maxEntries(),
            f -> 4L * f.values().length + 4L * f.shape().length + 96);
  }

  /** Whether the feature cache is on. */
  boolean enabled() {
    return features.enabled();
  }

  /** The feature cache's counters. */
  CacheStats stats() {
    return features.stats();
  }

  /** Images that waited for an encode of the same image already running. */
  long shared() {
    return shared.sum();
  }

  /** See {@link ImageDedupe#features(List, String, Function)}. */
  CompletionStage<List<FeatureOutput>> features(
      List<byte[]> images,
      String options,
      Function<List<Integer>, CompletionStage<List<FeatureOutput>>> encode) {
    if (!features.enabled()) {
      return encode.apply(IntStream.range(0, images.size()).boxed().toList());
    }
    int n = images.size();
    FeatureOutput[] out = new FeatureOutput[n];
    List<Integer> lead = new ArrayList<>();
    List<CompletableFuture<FeatureOutput>> leading = new ArrayList<>();
    List<Integer> follow = new ArrayList<>();
    List<CompletableFuture<FeatureOutput>> following = new ArrayList<>();
    CacheKey[] keys = new CacheKey[n];
    for (int i = 0; i < n; i++) {
      keys[i] = CacheKey.ofEncoded(identity, options, images.get(i));
      FeatureOutput hit = features.lookup(keys[i]);
      if (hit != null) {
        out[i] = hit;
        continue;
      }
      CompletableFuture<FeatureOutput> mine = new CompletableFuture<>();
      CompletableFuture<FeatureOutput> running = inFlight.putIfAbsent(keys[i], mine);
      if (running == null) {
        // An encode of this image may have finished between the lookup and now.
        FeatureOutput late = features.recheck(keys[i]);
        if (late != null) {
          inFlight.remove(keys[i], mine);
          mine.complete(late);
          out[i] = late;
          continue;
        }
        lead.add(i);
        leading.add(mine);
      } else {
        shared.increment();
        follow.add(i);
        following.add(running);
      }
    }
    // Stored (and the waiters told) before the caller goes on: a repeat sent once the answer is
    // out finds the features in the cache, not an encode still marked in flight.
    CompletionStage<List<FeatureOutput>> computed =
        encodeSafely(encode, lead)
            .whenComplete(
                (list, err) -> {
                  for (int j = 0; j < lead.size(); j++) {
                    CacheKey key = keys[lead.get(j)];
                    if (err == null && list.get(j) != null) {
                      features.put(key, list.get(j));
                    }
                    inFlight.remove(key, leading.get(j));
                    if (err == null) {
                      leading.get(j).complete(list.get(j));
                    } else {
                      leading.get(j).completeExceptionally(err);
                    }
                  }
                });
    return computed.thenCompose(
        list -> {
          for (int j = 0; j < lead.size(); j++) {
            out[lead.get(j)] = list.get(j);
          }
          return settle(follow, following, out, encode);
        });
  }

  /** Waits for the shared encodes; images whose shared encode failed are encoded here. */
  private CompletionStage<List<FeatureOutput>> settle(
      List<Integer> follow,
      List<CompletableFuture<FeatureOutput>> following,
      FeatureOutput[] out,
      Function<List<Integer>, CompletionStage<List<FeatureOutput>>> encode) {
    List<CompletableFuture<FeatureOutput>> settled =
        following.stream().map(f -> f.exceptionally(err -> null)).toList();
    return CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new))
        .thenCompose(
            done -> {
              List<Integer> again = new ArrayList<>();
              for (int j = 0; j < follow.size(); j++) {
                FeatureOutput f = settled.get(j).join();
                if (f == null) {
                  again.add(follow.get(j));
                } else {
                  out[follow.get(j)] = f;
                }
              }
              return encodeSafely(encode, again)
                  .thenApply(
                      list -> {
                        for (int j = 0; j < again.size(); j++) {
                          out[again.get(j)] = list.get(j);
                        }
                        return Arrays.asList(out);
                      });
            });
  }

  private static CompletionStage<List<FeatureOutput>> encodeSafely(
      Function<List<Integer>, CompletionStage<List<FeatureOutput>>> encode, List<Integer> at) {
    if (at.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    try {
      return encode.apply(at);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
