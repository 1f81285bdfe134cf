package dev.vitrail.runtime.dedupe;

import dev.vitrail.actors.cache.CacheKey;
import dev.vitrail.actors.cache.ContentCache;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Dedupe before decode for one served model. {@link #features} looks each encoded image up by
 * SHA-256 of its bytes, the model identity and the feature options before anything is decoded: a
 * hit is answered from the cache; an image already being encoded for another request (or twice in
 * this one) waits for that encode; only the rest are decoded and encoded, in one call. If the
 * encode another request runs for us fails, we encode that image ourselves, so each request gets
 * its own answer (and its own error) exactly once. The in-flight map holds only images admitted and
 * not yet answered, so it is bounded by admission. {@link #pixels} wraps a decoder with a small
 * decoded-pixel cache under the same kind of key. Thread-safe.
 */
public final class ImageDedupe {
  private final String identity;
  private final DedupeSettings settings;
  private final ContentCache<FeatureOutput> features;
  private final ContentCache<PixelInput> pixels;
  private final ConcurrentHashMap<CacheKey, CompletableFuture<FeatureOutput>> inFlight =
      new ConcurrentHashMap<>();
  private final LongAdder shared = new LongAdder();
  private final LongAdder decoded = new LongAdder();

  /** Caches of {@code settings} for the model and processor named by {@code identity}. */
  public ImageDedupe(DedupeSettings settings, String identity) {
    this.identity = identity;
    this.settings = settings;
    this.features =
        new ContentCache<>(
            settings.maxBytes(),
            settings.maxEntries(),
            f -> 4L * f.values().length + 4L * f.shape().length + 96);
    this.pixels =
        new ContentCache<>(
            settings.pixelMaxBytes(),
            settings.pixelMaxEntries(),
            p -> 4L * p.values().length + 4L * p.shape().length + 96);
  }

  /** The settings these caches were made with. */
  public DedupeSettings settings() {
    return settings;
  }

  /** Whether the feature cache is on (else {@link #features} encodes every image). */
  public boolean enabled() {
    return features.enabled();
  }

  /**
   * The features of {@code images} with {@code spec}, in order; {@code encode} decodes and encodes
   * the images at the given indices (into {@code images}) not answered otherwise (it may be called
   * twice: once for this request's new images, once for images whose shared encode failed). With
   * the feature cache off, it is {@code encode} of every index. {@code encode} may answer null for
   * an image that failed on its own (the embedded API's per-image failures): it is not cached, the
   * answer has null there, and requests waiting for it encode it themselves.
   */
  public CompletionStage<List<FeatureOutput>> features(
      List<byte[]> images,
      FeatureSpec spec,
      Function<List<Integer>, CompletionStage<List<FeatureOutput>>> encode) {
    return features(images, spec.toString(), encode);
  }

  /**
   * As {@link #features(List, FeatureSpec, Function)}, the feature options named by {@code options}
   * (part of the key: other options, other entries).
   */
  public CompletionStage<List<FeatureOutput>> features(
      List<byte[]> images,
      String options,
      Function<List<Integer>, CompletionStage<List<FeatureOutput>>> encode) {
    if (!features.enabled()) {
      return encode.apply(java.util.stream.IntStream.range(0, images.size()).boxed().toList());
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
    CompletionStage<List<FeatureOutput>> computed = encodeSafely(encode, lead);
    computed.whenComplete(
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

  /**
   * {@code decode} behind the decoded-pixel cache (when on), counting the images it decodes. {@code
   * processor} names the preprocessing (part of the key).
   */
  public Function<byte[], PixelInput> pixels(
      String processor, Function<byte[], PixelInput> decode) {
    return image -> {
      CacheKey key = pixels.enabled() ? CacheKey.ofEncoded(identity, processor, image) : null;
      PixelInput hit = key != null ? pixels.lookup(key) : null;
      if (hit != null) {
        return hit;
      }
      PixelInput p = decode.apply(image);
      decoded.increment();
      if (key != null) {
        pixels.put(key, p);
      }
      return p;
    };
  }

  /** Current counters. */
  public DedupeStats stats() {
    return new DedupeStats(features.stats(), pixels.stats(), shared.sum(), decoded.sum());
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
