package dev.vitrail.encoders.varlen;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Rotary embedding in the rotate-half layout: channel {@code j} of a head turns with channel {@code
 * j + d/2} by angle {@code a[j]}, {@code x·cos([a, a]) + rotate_half(x)·sin([a, a])}.
 *
 * @param cos {@code [S, 1, headDim]} float32
 * @param sin {@code [S, 1, headDim]} float32
 */
public record RotateHalf(Tensor cos, Tensor sin) {

  /** From the angles {@code [S, headDim/2]} (float32). */
  public static RotateHalf of(Tensor angles) {
    Tensor emb = torch.cat(new TensorVector(angles, angles), -1).unsqueeze(1);
    return new RotateHalf(emb.cos(), emb.sin());
  }

  /** Rotates {@code x [S, heads, headDim]} in float32; the result has {@code x}'s dtype. */
  public Tensor apply(Tensor x) {
    Tensor f = x.to(torch.ScalarType.Float);
    long half = f.size(2) / 2;
    Tensor rotated =
        torch.cat(new TensorVector(f.narrow(2, half, half).neg(), f.narrow(2, 0, half)), -1);
    return f.mul(cos).add(rotated.mul(sin)).to(x.scalar_type());
  }

  /** Keeps both tables alive beyond the current scope. */
  public RotateHalf retain() {
    cos.retainReference();
    sin.retainReference();
    return this;
  }

  /** Releases what {@link #retain} kept. */
  public void release() {
    cos.releaseReference();
    sin.releaseReference();
  }
}
