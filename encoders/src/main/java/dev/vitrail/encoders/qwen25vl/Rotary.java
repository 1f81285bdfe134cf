package dev.vitrail.encoders.qwen25vl;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The 2D rotary embedding of the Qwen2.5-VL tower in the rotate-half layout: channel {@code i} of
 * each head turns with channel {@code i + headDim/2}; the first quarter of the angles follow the
 * patch row, the second the column.
 *
 * @param cos {@code [S, 1, headDim]}
 * @param sin {@code [S, 1, headDim]}
 */
record Rotary(Tensor cos, Tensor sin) {

  /**
   * Cos and sin for patches at {@code positions} ({@code [S, 2]} float32 (row, column), in the
   * order the tower runs).
   */
  static Rotary of(Tensor positions, int headDim) {
    Tensor angles = angles(positions, headDim);
    Tensor emb = torch.cat(new TensorVector(angles, angles), -1).unsqueeze(1);
    return new Rotary(emb.cos(), emb.sin());
  }

  /**
   * The angles {@code [S, headDim/2]}: {@code [row * invFreq, col * invFreq]} with {@code
   * invFreq[j] = 1 / 10000^(2j / (headDim/2))}, in float32 as HuggingFace computes them.
   */
  static Tensor angles(Tensor positions, int headDim) {
    long half = headDim / 2;
    Tensor exponents =
        torch
            .arange(new Scalar(0), new Scalar(half), new Scalar(2))
            .to(torch.ScalarType.Float)
            .div(new Scalar((double) half));
    Tensor invFreq = torch.pow(new Scalar(10000.0), exponents).reciprocal();
    invFreq = invFreq.to(positions.device(), torch.ScalarType.Float);
    return positions.unsqueeze(-1).mul(invFreq).reshape(positions.size(0), half);
  }

  /** Rotates {@code x} ({@code [S, heads, headDim]}) in float32 and returns it in its dtype. */
  Tensor apply(Tensor x) {
    Tensor f = x.to(torch.ScalarType.Float);
    long half = f.size(2) / 2;
    Tensor rotated =
        torch.cat(new TensorVector(f.narrow(2, half, half).neg(), f.narrow(2, 0, half)), -1);
    return f.mul(cos).add(rotated.mul(sin)).to(x.scalar_type());
  }
}
