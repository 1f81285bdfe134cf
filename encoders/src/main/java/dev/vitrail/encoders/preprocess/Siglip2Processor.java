package dev.vitrail.encoders.preprocess;

import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.info.Siglip2EncoderInfo;

/**
 * SigLIP2 naflex: resize to the largest patch-multiple size with at most {@code max_num_patches}
 * patches (aspect ratio kept), rescale, normalize, and cut into patch rows {@code [h·w, p·p·3]}
 * (each row in (row, column, channel) order, as {@code convert_image_to_patches}) with {@code
 * grid_thw = [1, h, w]}. No padding rows: the tower takes each image at its own length.
 */
public final class Siglip2Processor extends ResizingProcessor<Siglip2Settings> {
  private final Siglip2EncoderInfo sizes;

  /** A processor with these settings and decoder. */
  public Siglip2Processor(Siglip2Settings settings, ImageDecoder decoder) {
    super(settings, settings.normalization(), decoder);
    this.sizes = new Siglip2EncoderInfo(settings.patchSize(), settings.maxNumPatches());
  }

  @Override
  public RgbImage prepare(RgbImage image) {
    int[] hw = sizes.resizedHeightWidth(image.width(), image.height());
    return Resampler.resize(image, hw[1], hw[0], settings().filter());
  }

  @Override
  public PixelInput process(RgbImage image) {
    RgbImage ready = prepare(image);
    float[] chw = ChannelsFirst.normalize(ready, lut());
    int p = settings().patchSize();
    int h = ready.height();
    int w = ready.width();
    int gh = h / p;
    int gw = w / p;
    int row = p * p * 3;
    float[] rows = new float[chw.length];
    for (int bh = 0; bh < gh; bh++) {
      for (int bw = 0; bw < gw; bw++) {
        int base = (bh * gw + bw) * row;
        for (int py = 0; py < p; py++) {
          for (int px = 0; px < p; px++) {
            int y = bh * p + py;
            int x = bw * p + px;
            for (int c = 0; c < 3; c++) {
              rows[base + (py * p + px) * 3 + c] = chw[(c * h + y) * w + x];
            }
          }
        }
      }
    }
    return new PixelInput(rows, new int[] {gh * gw, row}, new int[] {1, gh, gw});
  }
}
