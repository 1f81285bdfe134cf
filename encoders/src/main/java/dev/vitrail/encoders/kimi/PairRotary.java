package dev.vitrail.encoders.kimi;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * MoonViT's 2D rotary in the checkpoint's own layout: channels {@code (2j, 2j + 1)} of a head form
 * complex number j, turned by {@code angle[j]}; {@code angle[2i] = column · φ_i}, {@code angle[2i +
 * 1] = row · φ_i}, {@code φ_i = θ^(-4i/d)} (float32, as the reference computes it).
 *
 * @param cos {@code [S, 1, d/2]}
 * @param sin {@code [S, 1, d/2]}
 */
record PairRotary(Tensor cos, Tensor sin) {
  /** MoonViT's rotary base, fixed in both implementations. */
  static final double THETA = 10000.0;

  /** The angles {@code [S, d/2]} for int64 or float (row, column) positions {@code [S, 2]}. */
  static Tensor angles(Tensor positions, int headDim) {
    Tensor exponents =
        torch
            .arange(new Scalar(0), new Scalar(headDim), new Scalar(4))
            .to(torch.ScalarType.Float)
            .div(new Scalar((double) headDim));
    Tensor phi = torch.pow(new Scalar(THETA), exponents).reciprocal();
    Tensor p = positions.to(torch.ScalarType.Float);
    Tensor cols = p.select(1, 1).unsqueeze(1).mul(phi);
    Tensor rows = p.select(1, 0).unsqueeze(1).mul(phi);
    return torch.stack(new TensorVector(cols, rows), 2).reshape(p.size(0), headDim / 2);
  }

  static PairRotary of(Tensor angles) {
    Tensor a = angles.unsqueeze(1);
    return new PairRotary(a.cos(), a.sin());
  }

  /** Rotates {@code x [S, heads, d]} in float32; the result has {@code x}'s dtype. */
  Tensor apply(Tensor x) {
    Tensor f = x.to(torch.ScalarType.Float);
    long s = f.size(0);
    long heads = f.size(1);
    Tensor pairs = f.view(s, heads, -1, 2);
    Tensor x0 = pairs.select(3, 0);
    Tensor x1 = pairs.select(3, 1);
    Tensor y0 = x0.mul(cos).sub(x1.mul(sin));
    Tensor y1 = x0.mul(sin).add(x1.mul(cos));
    return torch.stack(new TensorVector(y0, y1), 3).view(s, heads, -1).to(x.scalar_type());
  }

  /** Moves both tables to {@code device} and keeps them beyond the current scope. */
  PairRotary retainOn(String device) {
    Tensor c = cos.to(new org.bytedeco.pytorch.Device(device), torch.ScalarType.Float);
    Tensor s = sin.to(new org.bytedeco.pytorch.Device(device), torch.ScalarType.Float);
    c.retainReference();
    s.retainReference();
    return new PairRotary(c, s);
  }

  void release() {
    cos.releaseReference();
    sin.releaseReference();
  }
}
