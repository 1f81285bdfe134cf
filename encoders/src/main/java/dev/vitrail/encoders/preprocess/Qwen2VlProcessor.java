package dev.vitrail.encoders.preprocess;

import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.info.SmartResize;
import java.util.ArrayList;
import java.util.List;

/**
 * Qwen2-VL / Qwen2.5-VL: {@code smart_resize}, resize, rescale, normalize, then patchify to {@code
 * [t*h*w, 3*T*P*P]} rows with {@code grid_thw}. A single image is repeated to fill one temporal
 * patch; video frames are grouped {@code T} per temporal patch, the last repeated to fill.
 */
public final class Qwen2VlProcessor extends ResizingProcessor<Qwen2VlSettings> {
  /** A processor with these settings and decoder. */
  public Qwen2VlProcessor(Qwen2VlSettings settings, ImageDecoder decoder) {
    super(settings, settings.normalization(), decoder);
  }

  @Override
  public RgbImage prepare(RgbImage image) {
    int[] hw =
        SmartResize.resize(
            image.height(),
            image.width(),
            settings().factor(),
            settings().minPixels(),
            settings().maxPixels());
    return Resampler.resize(image, hw[1], hw[0], settings().filter());
  }

  @Override
  public PixelInput process(RgbImage image) {
    RgbImage ready = prepare(image);
    return patchify(List.of(ready));
  }

  @Override
  public List<PixelInput> processFrames(List<RgbImage> frames) {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("a video clip needs at least one frame");
    }
    RgbImage first = frames.get(0);
    int[] hw =
        SmartResize.resize(
            first.height(),
            first.width(),
            settings().factor(),
            settings().videoMinPixels(),
            settings().videoMaxPixels());
    List<RgbImage> ready = new ArrayList<>(frames.size());
    for (RgbImage f : frames) {
      if (f.width() != first.width() || f.height() != first.height()) {
        throw new IllegalArgumentException(
            "all frames of a clip must have one size: "
                + first.width()
                + "x"
                + first.height()
                + " then "
                + f.width()
                + "x"
                + f.height());
      }
      ready.add(Resampler.resize(f, hw[1], hw[0], settings().filter()));
    }
    return List.of(patchify(ready));
  }

  /**
   * Patchifies resized frames (one size, a multiple of {@code patch * merge}); the frame count is
   * padded to a multiple of the temporal patch by repeating the last frame.
   */
  PixelInput patchify(List<RgbImage> frames) {
    int tps = settings().temporalPatchSize();
    int ps = settings().patchSize();
    int ms = settings().mergeSize();
    int t = (frames.size() + tps - 1) / tps;
    int h = frames.get(0).height();
    int w = frames.get(0).width();
    int gh = h / ps;
    int gw = w / ps;
    if (gh * ps != h || gw * ps != w || gh % ms != 0 || gw % ms != 0) {
      throw new IllegalArgumentException(
          "frame size " + h + "x" + w + " is not a multiple of " + ps * ms);
    }
    int cols = 3 * tps * ps * ps;
    float[] out = new float[t * gh * gw * cols];
    int o = 0;
    for (int ti = 0; ti < t; ti++) {
      for (int bh = 0; bh < gh / ms; bh++) {
        for (int bw = 0; bw < gw / ms; bw++) {
          for (int mh = 0; mh < ms; mh++) {
            for (int mw = 0; mw < ms; mw++) {
              int y0 = (bh * ms + mh) * ps;
              int x0 = (bw * ms + mw) * ps;
              for (int c = 0; c < 3; c++) {
                float[] table = lut()[c];
                for (int f = 0; f < tps; f++) {
                  int frame = Math.min(ti * tps + f, frames.size() - 1);
                  if (f > 0 && frame == Math.min(ti * tps + f - 1, frames.size() - 1)) {
                    // a repeated frame (single image, padded clip): copy the block just written
                    System.arraycopy(out, o - ps * ps, out, o, ps * ps);
                    o += ps * ps;
                    continue;
                  }
                  byte[] px = frames.get(frame).pixels();
                  for (int py = 0; py < ps; py++) {
                    int p = ((y0 + py) * w + x0) * 3 + c;
                    for (int px2 = 0; px2 < ps; px2++, p += 3) {
                      out[o++] = table[px[p] & 0xff];
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return new PixelInput(out, new int[] {t * gh * gw, cols}, new int[] {t, gh, gw});
  }
}
