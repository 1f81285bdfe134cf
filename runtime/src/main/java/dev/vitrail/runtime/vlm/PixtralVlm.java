package dev.vitrail.runtime.vlm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.config.hf.PixtralVisionConfig;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.info.PixtralEncoderInfo;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.encoders.preprocess.PixtralProcessor;
import dev.vitrail.encoders.preprocess.PixtralSettings;
import dev.vitrail.encoders.weights.Checkpoint;
import java.nio.file.Path;

/**
 * Pixtral in a LLaVA checkpoint ({@code LlavaForConditionalGeneration} with a Pixtral tower, as
 * vLLM's {@code llava.py} serves it): the prompt holds {@code ([IMG] * ncols + [IMG_BREAK]) *
 * nrows} with the last break replaced by {@code [IMG_END]}, and only the {@code [IMG]} positions
 * take embeddings ({@code PromptUpdateDetails.select_token_id}); the break and end tokens are the
 * language model's own embeddings. So an entry holds {@code ncols·nrows} rows of the projector
 * output, {@code text_config.hidden_size} wide, with {@code (ncols, nrows)} from vLLM's {@code
 * PixtralHFEncoderInfo} (shrink to {@code image_size}, ceil to the patch). vLLM refuses inline
 * {@code image_embeds} for Pixtral-HF ("Pixtral-HF does not support image_embeds"), so this family
 * writes encoder-cache files only.
 */
public record PixtralVlm(
    PixtralProcessor pixtral,
    PixtralEncoderInfo info,
    long maxTokensPerImage,
    String processorIdentity,
    int hidden)
    implements VlmFamily {

  /** The tier's view of a Pixtral model in {@code dir}. */
  static PixtralVlm create(Path dir, PixtralVisionConfig vision, VlmSettings settings) {
    if (settings.minPixels() > 0 || settings.maxPixels() > 0) {
      throw new IllegalArgumentException(
          "vitrail.vlm.min-pixels / max-pixels are Qwen processor bounds; a Pixtral consumer"
              + " shrinks images to vision_config.image_size ("
              + vision.imageSize()
              + ")");
    }
    if (!(VlmProcessors.any(dir, settings) instanceof PixtralProcessor p)) {
      throw new IllegalStateException(dir + ": a Pixtral tower without a Pixtral processor");
    }
    PixtralSettings s = p.settings();
    if (s.longestEdge() != vision.imageSize()
        || s.patchHeight() != vision.patchSize()
        || s.patchWidth() != vision.patchSize()) {
      throw new IllegalArgumentException(
          "preprocessor_config.json (longest_edge "
              + s.longestEdge()
              + ", patch "
              + s.patchHeight()
              + "x"
              + s.patchWidth()
              + ") disagrees with vision_config (image_size "
              + vision.imageSize()
              + ", patch_size "
              + vision.patchSize()
              + "), from which vLLM counts the placeholders");
    }
    return new PixtralVlm(
        p,
        new PixtralEncoderInfo(vision.imageSize(), vision.patchSize(), 1),
        settings.maxTokensPerImage(),
        EcKeys.processorIdentity(s),
        textHidden(dir));
  }

  private static int textHidden(Path dir) {
    try (Checkpoint c = Checkpoint.open(dir)) {
      for (String k : c.keys()) {
        if (k.endsWith("multi_modal_projector.linear_2.weight")) {
          return Math.toIntExact(c.entry(k).shape()[0]);
        }
      }
    }
    throw new IllegalArgumentException(
        dir
            + " has no multi_modal_projector: a stand-alone Pixtral tower has no language-model"
            + " embeddings for the encoder tier");
  }

  @Override
  public String name() {
    return "pixtral";
  }

  @Override
  public ImageProcessor processor() {
    return pixtral;
  }

  @Override
  public ConsumerGrid.Plan plan(int width, int height) {
    PixtralEncoderInfo.Grid g = info.patchGrid(width, height);
    long tokens = g.numImageTokens();
    if (tokens <= 0) {
      throw new EcLimitException(width + "x" + height + " image has no patch");
    }
    if (maxTokensPerImage > 0 && tokens > maxTokensPerImage) {
      throw new EcLimitException(
          width
              + "x"
              + height
              + " image becomes "
              + g.nrows()
              + " x "
              + g.ncols()
              + " patches = "
              + tokens
              + " tokens, over the consumer's limit of "
              + maxTokensPerImage
              + " per image (vitrail.vlm.max-tokens-per-image)");
    }
    int p = info.patchSize();
    return new ConsumerGrid.Plan(
        (int) g.nrows() * p,
        (int) g.ncols() * p,
        new int[] {1, (int) g.nrows(), (int) g.ncols()},
        tokens);
  }

  @Override
  public int[] gridOf(PixelInput pixels) {
    int[] s = pixels.shape();
    return new int[] {1, s[1] / info.patchSize(), s[2] / info.patchSize()};
  }

  @Override
  public FeatureSpec spec() {
    return FeatureSpec.lmEmbeddings();
  }

  @Override
  public String inlineRefusal() {
    return "vLLM takes no inline image_embeds for Pixtral-HF (llava.py: \"Pixtral-HF does not"
        + " support image_embeds\"); ask for output \"ec\"";
  }

  @Override
  public ObjectNode inlinePart(
      String uuid, float[] values, ConsumerGrid.Plan plan, EcDtype dtype, InlineFormat format) {
    throw new IllegalArgumentException(inlineRefusal());
  }
}
