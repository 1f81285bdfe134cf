package dev.vitrail.encoders.tower;

import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.select.EncoderOutputs;
import dev.vitrail.encoders.select.FeatureSelectStrategy;
import dev.vitrail.encoders.tensor.HostTensors;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Feature selection for the towers without a class token (Qwen2.5-VL, Qwen3-VL, Pixtral, Kimi
 * K2.5): only the {@code full} strategy applies, and selected layers are resolved as vLLM's {@code
 * resolve_visual_encoder_outputs} with no post-norm.
 */
public final class PatchFeatures {
  private PatchFeatures() {}

  /** Refuses a {@code feature_select_strategy} other than {@code full} (or unset). */
  public static void requireFullStrategy(String family, FeatureSpec spec) {
    if (spec.strategy() != null && !spec.strategy().equals("full")) {
      throw new IllegalArgumentException(
          family
              + " has no class token: feature_select_strategy must be 'full' or unset, got '"
              + spec.strategy()
              + "'");
    }
  }

  /**
   * The hidden states {@code spec.selectLayers()} picks, concatenated on channels.
   *
   * @param states the {@code depth + 1} hidden states, each {@code [rows, hidden]} row-major
   * @param depth the tower's number of layers
   * @return {@code [rows, hidden · picks]} row-major
   */
  public static float[] selectLayers(
      List<float[]> states, int rows, int hidden, int depth, FeatureSpec spec) {
    try (PointerScope scope = new PointerScope()) {
      List<Tensor> all = new ArrayList<>();
      for (float[] h : states) {
        all.add(HostTensors.upload(h, 1, rows, hidden));
      }
      int[] picks = spec.selectLayers().stream().mapToInt(Integer::intValue).toArray();
      FeatureSelectStrategy strategy =
          spec.strategy() == null ? null : FeatureSelectStrategy.of(spec.strategy());
      return HostTensors.download(EncoderOutputs.resolveLayers(all, null, picks, depth, strategy));
    }
  }
}
