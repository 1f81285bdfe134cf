package dev.vitrail.encoders.pixtral;

import dev.vitrail.config.hf.PixtralVisionConfig;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** Pixtral's 2D rotary angles (HF {@code PixtralRotaryEmbedding}, the "axial" rope). */
final class PixtralRotary {
  private PixtralRotary() {}

  /** (row, column) of every patch of a {@code gh x gw} grid, row-major, int64 {@code [n, 2]}. */
  static Tensor grid(int gh, int gw) {
    long[] rc = new long[2 * gh * gw];
    for (int r = 0; r < gh; r++) {
      for (int c = 0; c < gw; c++) {
        rc[2 * (r * gw + c)] = r;
        rc[2 * (r * gw + c) + 1] = c;
      }
    }
    return torch.tensor(rc).reshape(gh * gw, 2);
  }

  /**
   * Angles {@code [S, d/2]} for float32 positions {@code [S, 2]}: with {@code f_k = θ^(-2k/d)}
   * (float32, as HF), rows use the even-k frequencies, columns the odd-k ones, rows first.
   */
  static Tensor angles(Tensor positions, PixtralVisionConfig config) {
    int d = config.headDim();
    Tensor exponents =
        torch
            .arange(new Scalar(0), new Scalar(d), new Scalar(2))
            .to(torch.ScalarType.Float)
            .div(new Scalar((double) d));
    Tensor freqs =
        torch
            .pow(new Scalar(config.ropeTheta()), exponents)
            .reciprocal()
            .to(positions.device(), torch.ScalarType.Float);
    Tensor pairs = freqs.view(d / 4, 2);
    Tensor even = pairs.select(1, 0);
    Tensor odd = pairs.select(1, 1);
    Tensor rows = positions.select(1, 0).unsqueeze(1).mul(even);
    Tensor cols = positions.select(1, 1).unsqueeze(1).mul(odd);
    return torch.cat(new TensorVector(rows, cols), 1);
  }
}
