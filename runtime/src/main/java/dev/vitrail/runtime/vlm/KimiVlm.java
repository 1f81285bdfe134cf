package dev.vitrail.runtime.vlm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.config.hf.KimiK25VisionConfig;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.info.KimiK25EncoderInfo;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.encoders.preprocess.KimiK25Processor;
import dev.vitrail.encoders.preprocess.KimiK25Settings;
import dev.vitrail.encoders.weights.Checkpoint;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Kimi K2.5 (vLLM's {@code kimi_k25.py}): an image is a {@code vision_chunk} whose prompt holds
 * {@code media_tokens_calculator(item)} {@code <|media_pad|>} tokens, every one an embedding
 * position; {@code embed_multimodal} returns MoonViT's merged patches through the {@code
 * mm_projector}, {@code [gridH·gridW / merge², text_hidden_size]} per item. The grid is the NaViT
 * resize ({@link KimiK25EncoderInfo}) padded to the merge block. vLLM's Kimi model reads only
 * {@code pixel_values} / {@code grid_thws} (no {@code image_embeds}), so this family writes
 * encoder-cache files only.
 */
public record KimiVlm(
    KimiK25Processor kimi,
    KimiK25EncoderInfo info,
    long maxTokensPerImage,
    String processorIdentity,
    int hidden)
    implements VlmFamily {

  /** The tier's view of a Kimi K2.5 model in {@code dir}. */
  static KimiVlm create(Path dir, KimiK25VisionConfig vision, VlmSettings settings) {
    if (settings.minPixels() > 0 || settings.maxPixels() > 0) {
      throw new IllegalArgumentException(
          "vitrail.vlm.min-pixels / max-pixels are Qwen processor bounds; Kimi K2.5 sizes images"
              + " by in_patch_limit / patch_limit_on_one_side of its media_proc_cfg");
    }
    if (!(VlmProcessors.any(dir, settings) instanceof KimiK25Processor p)) {
      throw new IllegalStateException(dir + ": a Kimi K2.5 tower without a Kimi processor");
    }
    try (Checkpoint c = Checkpoint.open(dir)) {
      if (c.keys().stream().noneMatch(k -> k.startsWith("mm_projector."))) {
        throw new IllegalArgumentException(
            dir + " has no mm_projector: no language-model embeddings for the encoder tier");
      }
    }
    KimiK25Settings s = p.settings();
    String identity =
        "kimi_k25 patch="
            + s.patchSize()
            + " merge="
            + s.mergeKernelSize()
            + " in_patch_limit="
            + s.inPatchLimit()
            + " per_side="
            + s.patchLimitOnOneSide()
            + " mean="
            + Arrays.toString(s.normalization().mean())
            + " std="
            + Arrays.toString(s.normalization().std());
    return new KimiVlm(
        p,
        new KimiK25EncoderInfo(
            s.patchSize(), s.mergeKernelSize(), s.inPatchLimit(), s.patchLimitOnOneSide()),
        settings.maxTokensPerImage(),
        identity,
        vision.textHiddenSize());
  }

  @Override
  public String name() {
    return "kimi_k25";
  }

  @Override
  public ImageProcessor processor() {
    return kimi;
  }

  @Override
  public ConsumerGrid.Plan plan(int width, int height) {
    KimiK25EncoderInfo.Resize r;
    try {
      r = info.resize(width, height);
    } catch (IllegalArgumentException e) {
      throw new EcLimitException(width + "x" + height + " image: " + e.getMessage());
    }
    long tokens = info.numImageTokens(width, height);
    if (maxTokensPerImage > 0 && tokens > maxTokensPerImage) {
      throw new EcLimitException(
          width
              + "x"
              + height
              + " image becomes grid [1, "
              + r.gridH()
              + ", "
              + r.gridW()
              + "] = "
              + tokens
              + " tokens, over the consumer's limit of "
              + maxTokensPerImage
              + " per image (vitrail.vlm.max-tokens-per-image)");
    }
    return new ConsumerGrid.Plan(
        (int) r.height(), (int) r.width(), new int[] {1, (int) r.gridH(), (int) r.gridW()}, tokens);
  }

  @Override
  public int[] gridOf(PixelInput pixels) {
    return pixels.gridThw();
  }

  @Override
  public FeatureSpec spec() {
    return FeatureSpec.lmEmbeddings();
  }

  @Override
  public String inlineRefusal() {
    return "vLLM's Kimi-K2.5 model takes no inline image_embeds (kimi_k25.py reads pixel_values"
        + " and grid_thws only); ask for output \"ec\"";
  }

  @Override
  public ObjectNode inlinePart(
      String uuid, float[] values, ConsumerGrid.Plan plan, EcDtype dtype, InlineFormat format) {
    throw new IllegalArgumentException(inlineRefusal());
  }
}
