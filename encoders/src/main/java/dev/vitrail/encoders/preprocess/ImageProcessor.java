package dev.vitrail.encoders.preprocess;

import dev.vitrail.encoders.api.PixelInput;
import java.util.List;

/**
 * A HuggingFace image processor (PIL backend) re-stated in Java: encoded bytes or an RGB image in,
 * the tower's {@link PixelInput} out. Implementations are immutable and thread-safe.
 */
public interface ImageProcessor {
  /** The decoder (pixel limit, RGB conversion) behind {@link #process(byte[])}. */
  ImageDecoder decoder();

  /** The uint8 image right before rescaling: resized (and cropped where the processor crops). */
  RgbImage prepare(RgbImage image);

  /** Preprocesses one RGB image. */
  PixelInput process(RgbImage image);

  /** Decodes, converts to RGB and preprocesses one encoded image. */
  default PixelInput process(byte[] encoded) {
    return process(decoder().decodeRgb(encoded));
  }

  /**
   * Preprocesses sampled video frames, all of one size: one input per frame for per-image towers;
   * Qwen2-VL returns one input for the whole clip (frames paired per temporal patch).
   */
  List<PixelInput> processFrames(List<RgbImage> frames);
}
