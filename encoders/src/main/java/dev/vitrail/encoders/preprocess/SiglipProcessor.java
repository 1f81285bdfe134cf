package dev.vitrail.encoders.preprocess;

import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayList;
import java.util.List;

/** SigLIP: resize to a fixed size, rescale, normalize; output {@code [3, H, W]}. */
public final class SiglipProcessor implements ImageProcessor {
  private final SiglipSettings settings;
  private final ImageDecoder decoder;
  private final float[][] lut;

  /** A processor with these settings and decoder. */
  public SiglipProcessor(SiglipSettings settings, ImageDecoder decoder) {
    this.settings = settings;
    this.decoder = decoder;
    this.lut = settings.normalization().table();
  }

  @Override
  public ImageDecoder decoder() {
    return decoder;
  }

  /** The settings of this processor. */
  public SiglipSettings settings() {
    return settings;
  }

  @Override
  public RgbImage prepare(RgbImage image) {
    return Resampler.resize(image, settings.width(), settings.height(), settings.filter());
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
