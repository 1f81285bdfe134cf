package dev.vitrail.encoders.preprocess;

/** SigLIP: resize to a fixed size, rescale, normalize; output {@code [3, H, W]}. */
public final class SiglipProcessor extends ResizingProcessor<SiglipSettings> {
  /** A processor with these settings and decoder. */
  public SiglipProcessor(SiglipSettings settings, ImageDecoder decoder) {
    super(settings, settings.normalization(), decoder);
  }

  @Override
  public RgbImage prepare(RgbImage image) {
    return Resampler.resize(image, settings().width(), settings().height(), settings().filter());
  }
}
