package dev.vitrail.runtime.vlm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.config.hf.KimiK25VisionConfig;
import dev.vitrail.config.hf.PixtralVisionConfig;
import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.config.hf.Qwen3VlVisionConfig;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.runtime.model.ServedModel;

/**
 * What the encoder tier needs to know of one model family to write what vLLM's model for it feeds
 * its language model: the consumer's processor and placeholder count, the embeddings' width, the
 * features to ask the tower for, and the inline {@code image_embeds} form (if the consumer takes
 * one).
 */
public sealed interface VlmFamily permits QwenVlm, PixtralVlm, KimiVlm {
  /** The families served. */
  String SERVED =
      "qwen2_5_vl, qwen3_vl, pixtral (LLaVA checkpoints with a multi_modal_projector), kimi_k25"
          + " (with its mm_projector)";

  /** The family's name ({@code config.json}'s vision family). */
  String name();

  /** The consumer's image processor. */
  ImageProcessor processor();

  /**
   * The consumer's grid and embedding count for a {@code width x height} image.
   *
   * @throws EcLimitException when the consumer would refuse it
   */
  ConsumerGrid.Plan plan(int width, int height);

  /** The grid the processed pixels have, in the plan's form (to check they agree). */
  int[] gridOf(PixelInput pixels);

  /** Every processor setting that changes pixels or the grid (part of the key). */
  String processorIdentity();

  /** {@code ec_cache} columns. */
  int hidden();

  /** The features to ask the tower for. */
  FeatureSpec spec();

  /** Why the consumer takes no inline {@code image_embeds} for this family, or null if it does. */
  String inlineRefusal();

  /** The inline content part (only when {@link #inlineRefusal()} is null). */
  ObjectNode inlinePart(
      String uuid, float[] values, ConsumerGrid.Plan plan, EcDtype dtype, InlineFormat format);

  /**
   * The tier's view of {@code model}.
   *
   * @throws IllegalArgumentException for a family the tier does not serve
   */
  static VlmFamily of(ServedModel model, VlmSettings settings) {
    if (model.config() instanceof Qwen25VisionConfig q) {
      return QwenVlm.create(model.dir(), settings, q.outHiddenSize());
    }
    if (model.config() instanceof Qwen3VlVisionConfig q) {
      return QwenVlm.create(
          model.dir(), settings, q.outHiddenSize() * (1 + q.deepstackVisualIndexes().length));
    }
    if (model.config() instanceof PixtralVisionConfig p) {
      return PixtralVlm.create(model.dir(), p, settings);
    }
    if (model.config() instanceof KimiK25VisionConfig k) {
      return KimiVlm.create(model.dir(), k, settings);
    }
    throw new IllegalArgumentException(
        "the VLM encoder tier serves "
            + SERVED
            + "; '"
            + model.name()
            + "' is "
            + model.config().family());
  }
}
