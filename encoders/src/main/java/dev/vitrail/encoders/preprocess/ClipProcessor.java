package dev.vitrail.encoders.preprocess;

import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayList;
import java.util.List;

/** CLIP: resize the shortest edge, center crop, rescale, normalize; output {@code [3, H, W]}. */
public final class ClipProcessor implements ImageProcessor {
  private final ClipSettings settings;
  private final ImageDecoder decoder;
  private final float[][] lut;

  /** A processor with these settings and decoder. */
  public ClipProcessor(ClipSettings settings, ImageDecoder decoder) {
    this.settings = settings;
    this.decoder = decoder;
    this.lut = settings.normalization().table();
  }

  @Override
  public ImageDecoder decoder() {
    return decoder;
  }

  /** The settings of this processor. */
  public ClipSettings settings() {
    return settings;
  }

  /** The {@code [height, width]} after the shortest-edge resize, as HuggingFace computes it. */
  public int[] resizedSize(int height, int width) {
    int s = settings.shortestEdge();
    int shortSide = Math.min(height, width);
    int longSide = Math.max(height, width);
    int newLong = (int) ((double) ((long) s * longSide) / shortSide);
    return height <= width ? new int[] {s, newLong} : new int[] {newLong, s};
  }

  @Override
  public RgbImage prepare(RgbImage image) {
    int[] hw = resizedSize(image.height(), image.width());
    if (!settings.doCenterCrop()) {
      return Resampler.resize(image, hw[1], hw[0], settings.filter());
    }
    int ch = settings.cropHeight();
    int cw = settings.cropWidth();
    int top = (hw[0] - ch) / 2;
    int left = (hw[1] - cw) / 2;
    if (ch <= hw[0] && cw <= hw[1]) {
      // resize only the rectangle the crop keeps: the same pixels, less work
      return Resampler.resizeRegion(image, hw[1], hw[0], top, left, ch, cw, settings.filter());
    }
    return CenterCrop.apply(Resampler.resize(image, hw[1], hw[0], settings.filter()), ch, cw);
  }

  @Override
  public PixelInput process(RgbImage image) {
    RgbImage ready = prepare(image);
    return new PixelInput(
        ChannelsFirst.normalize(ready, lut), new int[] {3, ready.height(), ready.width()}, null);
  }

  @Override
  public List<PixelInput> processFrames(List<RgbImage> frames) {
    List<PixelInput> out = new ArrayList<>(frames.size());
    for (RgbImage f : frames) {
      out.add(process(f));
    }
    return out;
  }
}
