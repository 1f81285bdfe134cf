package dev.vitrail.encoders.layers;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A linear layer's weights as int8 with one scale per output channel, multiplied with the
 * activations quantized per call and per token (dynamic quantization): through libtorch's oneDNN
 * int8 linear where it runs ({@link OneDnnInt8}), else through FBGEMM.
 *
 * <p>Both kernels quantize the activations (uint8) with one scale for the whole input, so each
 * input row (token) is first divided by its largest magnitude {@code r[t]}: every row then spans
 * [-1, 1] and the single scale quantizes every row on its full range, as per-token activations do;
 * the product is scaled back by {@code r} afterwards. Each weight row is divided by its largest
 * magnitude {@code s[o]} once at load. oneDNN takes {@code s} as its per-channel weight scales;
 * FBGEMM's entry point takes one weight scale, so there {@code s} is applied after the product:
 * {@code y = (x̂·Ŵᵀ)·r ⊗ s + b}. Weights use 7 bits ([-63, 63]): without VNNI both kernels add
 * pairs of uint8 x int8 products in int16, which 8-bit weights against full-range activations would
 * saturate (8-bit weights gave per-GEMM cosines of 0.986 at K = 64, 7-bit 0.9999).
 */
final class Int8Weights implements AutoCloseable {
  /** Weight levels each side of zero: [-63, 63]. */
  private static final int WEIGHT_LEVELS = 63;

  /** Activation levels each side of the zero point 128: [1, 255]. */
  private static final int ACTIVATION_LEVELS = 127;

  private static final long[] LAST = {-1};

  private final Tensor quantized; // int8 [out, in] (FBGEMM reads its shape); null on oneDNN
  private final Tensor packed; // the kernel's packed copy of it
  private final Tensor colOffsets; // FBGEMM: column sums of the int8 weight; oneDNN: zero points
  private final Tensor rowScale; // [out]: s (FBGEMM), s / 63 (oneDNN)
  private final Tensor zeros; // FBGEMM: [out] zeros, its bias argument; oneDNN: [in] of 128.5
  private final Tensor bias; // [out], or null

  private Int8Weights(
      Tensor quantized,
      Tensor packed,
      Tensor colOffsets,
      Tensor rowScale,
      Tensor zeros,
      Tensor bias) {
    this.quantized = quantized;
    this.packed = packed;
    this.colOffsets = colOffsets;
    this.rowScale = rowScale;
    this.zeros = zeros;
    this.bias = bias;
  }

  /** Quantizes {@code weight [out, in]} (any float dtype) and {@code bias [out]} (or null). */
  static Int8Weights quantize(Tensor weight, Tensor bias) {
    return quantize(weight, bias, OneDnnInt8.available());
  }

  /** As {@link #quantize(Tensor, Tensor)}, on oneDNN's kernel or FBGEMM's. */
  static Int8Weights quantize(Tensor weight, Tensor bias, boolean onednn) {
    try (PointerScope scope = new PointerScope()) {
      Tensor w = weight.to(torch.ScalarType.Float).contiguous();
      Tensor s = w.abs().amax(new long[] {1}, true).clamp_min(new Scalar(1e-12)); // [out, 1]
      Tensor q =
          w.div(s)
              .mul(new Scalar(WEIGHT_LEVELS))
              .round()
              .clamp(
                  new ScalarOptional(new Scalar(-WEIGHT_LEVELS)),
                  new ScalarOptional(new Scalar(WEIGHT_LEVELS)))
              .to(torch.ScalarType.Char);
      Tensor b = bias == null ? null : bias.to(torch.ScalarType.Float).contiguous();
      Tensor[] kept =
          onednn
              ? new Tensor[] {
                null,
                OneDnnInt8.pack(q),
                OneDnnInt8.zeroPoints(w.size(0)),
                s.flatten().div(new Scalar(WEIGHT_LEVELS)),
                torch.full(new long[] {w.size(1)}, new Scalar(ACTIVATION_LEVELS + 1.5)),
                b
              }
              : new Tensor[] {
                q,
                torch.fbgemm_pack_quantized_matrix(q),
                q.to(torch.ScalarType.Float).sum(new long[] {1}).to(torch.ScalarType.Int),
                s.flatten(),
                torch.zeros(w.size(0)),
                b
              };
      for (Tensor t : kept) {
        if (t != null) {
          t.retainReference();
        }
      }
      return new Int8Weights(kept[0], kept[1], kept[2], kept[3], kept[4], kept[5]);
    }
  }

  /** {@code x·Wᵀ + b} for float32 {@code x [..., in]}; the result lives in the caller's scope. */
  Tensor forward(Tensor x) {
    if (quantized == null) {
      return forwardOneDnn(x);
    }
    Tensor r = x.abs().amax(new long[] {-1}, true).clamp_min(new Scalar(1e-12)); // [..., 1]
    Tensor y =
        torch.fbgemm_linear_int8_weight_fp32_activation(
            x.div(r),
            quantized,
            packed,
            colOffsets,
            new Scalar(1.0 / WEIGHT_LEVELS),
            new Scalar(0),
            zeros);
    y.mul_(r);
    // in place: a fresh output-sized tensor per call costs page faults beside the pass itself
    return bias == null ? y.mul_(rowScale) : torch.addcmul_out(y, bias, y, rowScale, new Scalar(1));
  }

  private Tensor forwardOneDnn(Tensor x) {
    long[] shape = x.shape();
    Tensor x2 = x.reshape(-1, shape[shape.length - 1]);
    // r = max |x| per row from two reductions (no |x| tensor); then 128 + 127·x/r in [1, 255] as
    // one multiply-add against a row of 128.5 (the +0.5 makes the truncating conversion round;
    // a full row, not a scalar, keeps libtorch's kernel on its vectorised loop)
    Tensor r =
        torch
            .maximum(x2.amax(LAST, true), x2.amin(LAST, true).neg_())
            .clamp_min_(new Scalar(1e-12)); // [rows, 1]
    Tensor xq =
        torch
            .addcmul(zeros, x2, torch.reciprocal(r).mul_(new Scalar(ACTIVATION_LEVELS)))
            .to(torch.ScalarType.Byte);
    Tensor y =
        OneDnnInt8.linear(
            xq, 1.0 / ACTIVATION_LEVELS, ACTIVATION_LEVELS + 1, packed, rowScale, colOffsets);
    y = bias == null ? y.mul_(r) : torch.addcmul_out(y, bias, y, r, new Scalar(1));
    shape[shape.length - 1] = y.size(1);
    return y.view(shape);
  }

  @Override
  public void close() {
    for (Tensor t : new Tensor[] {quantized, packed, colOffsets, rowScale, zeros, bias}) {
      if (t != null) {
        t.close();
      }
    }
  }
}
