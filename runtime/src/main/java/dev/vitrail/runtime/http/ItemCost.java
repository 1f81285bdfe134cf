package dev.vitrail.runtime.http;

import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.encoders.preprocess.RgbImage;

/**
 * The heap one admitted image can take, for the memory budget: the tower input the model's
 * processor makes from a large probe image (fixed-size families always make the same; Qwen2-VL and
 * Pixtral reach their pixel bound), plus four times its features at one selected layer (features,
 * JSON text and answer bytes).
 */
final class ItemCost {
  private static final int PROBE = 1024;

  private ItemCost() {}

  static long bytesPerItem(ImageProcessor processor, VisionConfig config) {
    PixelInput input = processor.process(new RgbImage(PROBE, PROBE, new byte[PROBE * PROBE * 3]));
    long values = input.values().length;
    int patch = config.patchSize();
    long tokens = values / (3L * patch * patch) + 1;
    long features = tokens * config.hiddenSize() * Float.BYTES;
    return values * Float.BYTES + 4 * features;
  }
}
