package dev.vitrail.runtime.vlm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.encoders.preprocess.Qwen2VlProcessor;
import java.nio.file.Path;

/**
 * Qwen2.5-VL and Qwen3-VL: the consumer's Qwen2-VL processor (smart_resize with its {@code
 * min_pixels} / {@code max_pixels}), {@code t·h·w / merge²} rows of the tower's default output (the
 * merger; for Qwen3-VL the merger and its deepstack mergers concatenated on the hidden axis, as
 * vLLM's {@code embed_multimodal} returns and its {@code _compute_deepstack_embeds} splits), inline
 * with {@code image_grid_thw}.
 */
public record QwenVlm(
    Qwen2VlProcessor qwen, ConsumerGrid grid, String processorIdentity, int hidden)
    implements VlmFamily {

  /** The tier's view of a Qwen-style model whose embeddings are {@code hidden} wide. */
  static QwenVlm create(Path modelDir, VlmSettings settings, int hidden) {
    Qwen2VlProcessor p = VlmProcessors.forModel(modelDir, settings);
    return new QwenVlm(
        p,
        ConsumerGrid.of(p.settings(), settings.maxTokensPerImage()),
        EcKeys.processorIdentity(p.settings()),
        hidden);
  }

  @Override
  public String name() {
    return "qwen";
  }

  @Override
  public ImageProcessor processor() {
    return qwen;
  }

  @Override
  public ConsumerGrid.Plan plan(int width, int height) {
    return grid.plan(width, height);
  }

  @Override
  public int[] gridOf(PixelInput pixels) {
    return pixels.gridThw();
  }

  @Override
  public FeatureSpec spec() {
    return FeatureSpec.defaults();
  }

  @Override
  public String inlineRefusal() {
    return null;
  }

  @Override
  public ObjectNode inlinePart(
      String uuid, float[] values, ConsumerGrid.Plan plan, EcDtype dtype, InlineFormat format) {
    return InlineEmbeds.contentPart(
        uuid, values, Math.toIntExact(plan.tokens()), hidden, plan.gridThw(), dtype, format);
  }
}
