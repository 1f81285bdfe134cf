package dev.vitrail.encoders.preprocess;

import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayList;
import java.util.List;

/**
 * The plumbing every family processor shares: its settings, decoder and rescale/normalize table; by
 * default an image is {@link #prepare prepared}, then laid out channels-first as {@code [3, H, W]},
 * and video frames are processed one by one. A family supplies only its resize.
 *
 * @param <S> the family's settings record
 */
abstract class ResizingProcessor<S> implements ImageProcessor {
  private final S settings;
  private final ImageDecoder decoder;
  private final float[][] lut;

  ResizingProcessor(S settings, Normalization normalization, ImageDecoder decoder) {
    this.settings = settings;
    this.decoder = decoder;
    this.lut = normalization.table();
  }

  @Override
  public ImageDecoder decoder() {
    return decoder;
  }

  /** The settings of this processor. */
  public S settings() {
    return settings;
  }

  /** The rescale/normalize table, {@code lut[channel][uint8 value]}. */
  final float[][] lut() {
    return lut;
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
