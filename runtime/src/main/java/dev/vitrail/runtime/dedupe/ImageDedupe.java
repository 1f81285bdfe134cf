package dev.vitrail.runtime.dedupe;

import dev.vitrail.actors.cache.CacheKey;
import dev.vitrail.actors.cache.ContentCache;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Dedupe before decode for one served model. {@link #features} looks each encoded image up by
 * SHA-256 of its bytes, the model identity and the feature options before anything is decoded: a
 * hit is answered from the cache; an image already being encoded for another request (or twice in
 * this one) waits for that encode; only the rest are decoded and encoded, in one call; each request
 * gets its own answer exactly once ({@link FeatureDedupe}). {@link #pixels} wraps a decoder with a
 * small decoded-pixel cache under the same kind of key. Thread-safe.
 */
public final class ImageDedupe {
  private final String identity;
  private final DedupeSettings settings;
  private final FeatureDedupe features;
  private final ContentCache<PixelInput> pixels;
  private final LongAdder decoded = new LongAdder();

  /** Caches of {@code settings} for the model and processor named by {@code identity}. */
  public ImageDedupe(DedupeSettings settings, String identity) {
    this.identity = identity;
    this.settings = settings;
    this.features = new FeatureDedupe(settings, identity);
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
    return features.features(images, options, encode);
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
    return new DedupeStats(features.stats(), pixels.stats(), features.shared(), decoded.sum());
  }
}
