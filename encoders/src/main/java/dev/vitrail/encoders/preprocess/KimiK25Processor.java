package dev.vitrail.encoders.preprocess;

import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.info.KimiK25EncoderInfo;

/**
 * Kimi K2.5 (the checkpoint's media processor as vLLM re-states it): NaViT resize with Pillow
 * bicubic, zero padding at the bottom and right (black, before normalizing) to a multiple of patch
 * · merge, rescale, normalize, and patch rows {@code [h·w, 3·p·p]} (each row (channel, row,
 * column)) with {@code grid_thw = [1, h, w]}.
 */
public final class KimiK25Processor extends ResizingProcessor<KimiK25Settings> {
  private final KimiK25EncoderInfo sizes;

  /** A processor with these settings and decoder. */
  public KimiK25Processor(KimiK25Settings s, ImageDecoder decoder) {
    super(s, s.normalization(), decoder);
    this.sizes =
        new KimiK25EncoderInfo(
            s.patchSize(), s.mergeKernelSize(), s.inPatchLimit(), s.patchLimitOnOneSide());
  }

  @Override
  public RgbImage prepare(RgbImage image) {
    KimiK25EncoderInfo.Resize r = sizes.resize(image.width(), image.height());
    RgbImage resized =
        Resampler.resize(image, (int) r.width(), (int) r.height(), ResampleFilter.BICUBIC);
    int p = settings().patchSize();
    int outW = (int) r.gridW() * p;
    int outH = (int) r.gridH() * p;
    byte[] padded = new byte[outW * outH * 3];
    for (int y = 0; y < resized.height(); y++) {
      System.arraycopy(
          resized.pixels(), y * resized.width() * 3, padded, y * outW * 3, resized.width() * 3);
    }
    return new RgbImage(outW, outH, padded);
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
    int row = 3 * p * p;
    float[] rows = new float[chw.length];
    for (int bh = 0; bh < gh; bh++) {
      for (int bw = 0; bw < gw; bw++) {
        int base = (bh * gw + bw) * row;
        for (int c = 0; c < 3; c++) {
          for (int py = 0; py < p; py++) {
            int src = (c * h + bh * p + py) * w + bw * p;
            System.arraycopy(chw, src, rows, base + (c * p + py) * p, p);
          }
        }
      }
    }
    return new PixelInput(rows, new int[] {gh * gw, row}, new int[] {1, gh, gw});
  }
}
