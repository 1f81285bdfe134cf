package dev.vitrail.encoders.siglip2;

import org.bytedeco.pytorch.InterpolateFuncOptions;
import org.bytedeco.pytorch.LongVector;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.kBilinear;

/**
 * SigLIP2's position terms: the learned square table resized to an image's patch grid as HF does
 * ({@code F.interpolate}, bilinear, align_corners false, antialias true, in float32), flattened
 * row-major.
 */
final class Siglip2Positions {
  private Siglip2Positions() {}

  /** {@code table [1, D, side, side]} float32 to {@code [h·w, D]}. */
  static Tensor resize(Tensor table, int h, int w) {
    InterpolateFuncOptions options = new InterpolateFuncOptions();
    options.size().put(new LongVector(h, w));
    options.mode().put(new kBilinear());
    options.align_corners().put(false);
    options.antialias().put(true);
    Tensor resized = torch.interpolate(table, options);
    long d = table.size(1);
    return resized.reshape(d, (long) h * w).t();
  }
}
