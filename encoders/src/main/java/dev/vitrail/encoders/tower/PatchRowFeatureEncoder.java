package dev.vitrail.encoders.tower;

import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.List;

/**
 * A {@link FeatureEncoder} over a tower that takes the patch rows of a whole batch in one call
 * (Qwen2.5-VL, Qwen3-VL, Kimi K2.5): an empty batch gives nothing, a class-token strategy is
 * refused, the rest is checked, packed into {@link PackedRows} and handed to {@link #encode(
 * PackedRows, FeatureSpec)}.
 */
public abstract class PatchRowFeatureEncoder implements FeatureEncoder {

  @Override
  public final List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
    if (batch.isEmpty()) {
      return List.of();
    }
    check(spec);
    PatchFeatures.requireFullStrategy(family(), spec);
    return encode(PackedRows.of(family(), batch, patchRowWidth()), spec);
  }

  /** Values per patch row the tower takes. */
  protected abstract int patchRowWidth();

  /** Refuses what this tower does not offer; nothing by default. */
  protected void check(FeatureSpec spec) {}

  /** Runs the tower on a non-empty packed batch; one output per input, in batch order. */
  protected abstract List<FeatureOutput> encode(PackedRows packed, FeatureSpec spec);
}
