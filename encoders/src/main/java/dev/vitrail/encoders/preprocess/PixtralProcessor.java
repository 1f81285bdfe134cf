package dev.vitrail.encoders.preprocess;

/**
 * Pixtral: shrink to the longest edge, round each side up to a patch multiple, resize, rescale,
 * normalize; output {@code [3, H, W]} per image ({@link PixtralBatch} pads several together).
 */
public final class PixtralProcessor extends ResizingProcessor<PixtralSettings> {
  /** A processor with these settings and decoder. */
  public PixtralProcessor(PixtralSettings settings, ImageDecoder decoder) {
    super(settings, settings.normalization(), decoder);
  }

  /** The {@code [height, width]} an image of this size is resized to. */
  public int[] resizedSize(int height, int width) {
    double l = settings().longestEdge();
    double ratio = Math.max(height / l, width / l);
    double h = height;
    double w = width;
    if (ratio > 1) {
      h = Math.floor(height / ratio);
      w = Math.floor(width / ratio);
    }
    int ph = settings().patchHeight();
    int pw = settings().patchWidth();
    int outH = (int) (Math.floorDiv((long) h - 1, ph) + 1) * ph;
    int outW = (int) (Math.floorDiv((long) w - 1, pw) + 1) * pw;
    return new int[] {outH, outW};
  }

  @Override
  public RgbImage prepare(RgbImage image) {
    int[] hw = resizedSize(image.height(), image.width());
    return Resampler.resize(image, hw[1], hw[0], settings().filter());
  }
}
