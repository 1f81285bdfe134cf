package dev.vitrail.runtime.vlm;

import dev.vitrail.encoders.api.FeatureOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The results of the encoder tier: for each prepared image, its encoder-cache file (written, or
 * found already there) and/or its inline content part, built from the features of the images that
 * were encoded, and counted in the tier's metrics. Blocking I/O: run it off the actor threads.
 */
final class ResultBuilder {
  private final VlmFamily family;
  private final EcStore store;
  private final VlmMetrics metrics;

  /**
   * @param store the encoder-cache directory, or null when only inline payloads are made
   */
  ResultBuilder(VlmFamily family, EcStore store, VlmMetrics metrics) {
    this.family = family;
    this.store = store;
    this.metrics = metrics;
  }

  /** See {@link VlmEncoder#finish}. */
  List<VlmResult> finish(
      List<VlmEncoder.Prepared> items, List<FeatureOutput> features, VlmOutput out) {
    List<VlmResult> results = new ArrayList<>(items.size());
    int next = 0;
    for (VlmEncoder.Prepared p : items) {
      results.add(p.cached() ? cached(p) : encoded(p, features.get(next++), out));
    }
    return results;
  }

  private VlmResult cached(VlmEncoder.Prepared p) {
    metrics.image(true);
    int tokens = Math.toIntExact(p.plan().tokens());
    return new VlmResult(
        p.key(),
        p.plan().gridThw(),
        tokens,
        family.hidden(),
        p.dtype(),
        store.path(p.key()),
        true,
        null);
  }

  private VlmResult encoded(VlmEncoder.Prepared p, FeatureOutput f, VlmOutput out) {
    int tokens = Math.toIntExact(p.plan().tokens());
    int hidden = family.hidden();
    if (f.shape().length != 2 || f.shape()[0] != tokens || f.shape()[1] != hidden) {
      throw new IllegalStateException(
          "image_embeds of shape "
              + Arrays.toString(f.shape())
              + " do not match the consumer's ["
              + tokens
              + ", "
              + hidden
              + "]");
    }
    var file = out.ec() ? store.write(p.key(), tokens, hidden, p.dtype(), f.values()) : null;
    if (file != null) {
      metrics.written(tokens, EcStore.fileBytes(tokens, hidden, p.dtype()));
    }
    var part =
        out.inline()
            ? family.inlinePart(p.key(), f.values(), p.plan(), p.dtype(), p.format())
            : null;
    if (part != null) {
      metrics.inline(part.get("image_embeds").toString().length());
    }
    metrics.image(false);
    return new VlmResult(p.key(), p.plan().gridThw(), tokens, hidden, p.dtype(), file, false, part);
  }
}
