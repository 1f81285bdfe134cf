package dev.vitrail.encoders.preprocess;

/** CLIP: resize the shortest edge, center crop, rescale, normalize; output {@code [3, H, W]}. */
public final class ClipProcessor extends ResizingProcessor<ClipSettings> {
  /** A processor with these settings and decoder. */
  public ClipProcessor(ClipSettings settings, ImageDecoder decoder) {
    super(settings, settings.normalization(), decoder);
  }

  /** The {@code [height, width]} after the shortest-edge resize, as HuggingFace computes it. */
  public int[] resizedSize(int height, int width) {
    int s = settings().shortestEdge();
    int shortSide = Math.min(height, width);
    int longSide = Math.max(height, width);
    int newLong = (int) ((double) ((long) s * longSide) / shortSide);
    return height <= width ? new int[] {s, newLong} : new int[] {newLong, s};
  }

  @Override
  public RgbImage prepare(RgbImage image) {
    int[] hw = resizedSize(image.height(), image.width());
    if (!settings().doCenterCrop()) {
      return Resampler.resize(image, hw[1], hw[0], settings().filter());
    }
    int ch = settings().cropHeight();
    int cw = settings().cropWidth();
    int top = (hw[0] - ch) / 2;
    int left = (hw[1] - cw) / 2;
    if (ch <= hw[0] && cw <= hw[1]) {
      // resize only the rectangle the crop keeps: the same pixels, less work
      return Resampler.resizeRegion(image, hw[1], hw[0], top, left, ch, cw, settings().filter());
    }
    return CenterCrop.apply(Resampler.resize(image, hw[1], hw[0], settings().filter()), ch, cw);
  }
}
