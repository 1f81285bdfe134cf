package dev.vitrail.runtime.api;

import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.List;

/**
 * Images (or frames) to encode with one set of feature options.
 *
 * @param id the caller's tag, returned in the result (useful with unordered flows)
 * @param inputs the images, in the order results come back
 * @param spec which features to return
 * @param gatherReduction when > 0, also return vLLM's padded all-gather layout with this many
 *     patches per output row (spatial merge size squared); 0 for none
 */
public record EncodeRequest(
    String id, List<EncodeInput> inputs, FeatureSpec spec, int gatherReduction) {
  public EncodeRequest {
    inputs = List.copyOf(inputs);
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("request " + id + " has no inputs");
    }
    if (gatherReduction < 0) {
      throw new IllegalArgumentException("gather reduction must be >= 0, got " + gatherReduction);
    }
  }

  /** A request of ready pixels with the given options and no gather layout. */
  public static EncodeRequest ofPixels(String id, List<PixelInput> pixels, FeatureSpec spec) {
    return new EncodeRequest(id, pixels.stream().map(EncodeInput::of).toList(), spec, 0);
  }
}
