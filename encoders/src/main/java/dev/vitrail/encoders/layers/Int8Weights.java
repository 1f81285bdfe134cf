package dev.vitrail.encoders.layers;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A linear layer's weights as int8 with one scale per output channel, multiplied by FBGEMM with the
 * activations quantized per call and per token (dynamic quantization).
 *
 * <p>libtorch's FBGEMM entry points take one weight scale for the whole matrix and quantize the
 * activations (uint8) with one scale for the whole input, so both are normalised first: each weight
 * row is divided by its largest magnitude {@code s[o]} once at load, and each input row (token) by
 * its largest magnitude {@code r[t]} per call. Every row then spans [-1, 1], and the single scales
 * quantize every row on its full range, as per-channel weights and per-token activations do. The
 * product is scaled back: {@code y = (x̂·Ŵᵀ)·r ⊗ s + b}. Weights use 7 bits ([-63, 63]).
 */
final class Int8Weights implements AutoCloseable {
  /** Weight levels each side of zero: [-63, 63]. */
  private static final int WEIGHT_LEVELS = 63;

  private final Tensor quantized; // int8 [out, in] (FBGEMM reads its shape)
  private final Tensor packed; // FBGEMM's packed copy of it
  private final Tensor colOffsets;
  private final double scale;
  private final long zeroPoint;
  private final Tensor rowScale; // [out]
  private final Tensor zeros; // [out]: FBGEMM's bias argument
  private final Tensor bias; // [out], or null

  private Int8Weights(
      Tensor quantized,
      Tensor packed,
      Tensor colOffsets,
      double scale,
      long zeroPoint,
      Tensor rowScale,
      Tensor zeros,
      Tensor bias) {
    this.quantized = quantized;
    this.packed = packed;
    this.colOffsets = colOffsets;
    this.scale = scale;
    this.zeroPoint = zeroPoint;
    this.rowScale = rowScale;
    this.zeros = zeros;
    this.bias = bias;
  }

  /** Quantizes {@code weight [out, in]} (any float dtype) and {@code bias [out]} (or null). */
  static Int8Weights quantize(Tensor weight, Tensor bias) {
    try (PointerScope scope = new PointerScope()) {
      Tensor w = weight.to(torch.ScalarType.Float).contiguous();
      Tensor s = w.abs().amax(new long[] {1}, true).clamp_min(new Scalar(1e-12)); // [out, 1]
      // 7-bit symmetric weights: FBGEMM's AVX2 kernel adds pairs of uint8 x int8 products in
      // int16, which 8-bit weights against full-range activations would saturate
      Tensor quantized =
          w.div(s)
              .mul(new Scalar(WEIGHT_LEVELS))
              .round()
              .clamp(
                  new ScalarOptional(new Scalar(-WEIGHT_LEVELS)),
                  new ScalarOptional(new Scalar(WEIGHT_LEVELS)))
              .to(torch.ScalarType.Char);
      Tensor colOffsets =
          quantized.to(torch.ScalarType.Float).sum(new long[] {1}).to(torch.ScalarType.Int);
      Tensor packed = torch.fbgemm_pack_quantized_matrix(quantized);
      Tensor rowScale = s.flatten();
      Tensor zeros = torch.zeros(w.size(0));
      Tensor b = bias == null ? null : bias.to(torch.ScalarType.Float).contiguous();
      for (Tensor t : new Tensor[] {quantized, packed, colOffsets, rowScale, zeros, b}) {
        if (t != null) {
          t.retainReference();
        }
      }
      return new Int8Weights(
          quantized, packed, colOffsets, 1.0 / WEIGHT_LEVELS, 0, rowScale, zeros, b);
    }
  }

  /** {@code x·Wᵀ + b} for float32 {@code x [..., in]}; the result lives in the caller's scope. */
  Tensor forward(Tensor x) {
    Tensor r = x.abs().amax(new long[] {-1}, true).clamp_min(new Scalar(1e-12)); // [..., 1]
    Tensor y =
        torch.fbgemm_linear_int8_weight_fp32_activation(
            x.div(r),
            quantized,
            packed,
            colOffsets,
            new Scalar(scale),
            new Scalar(zeroPoint),
            zeros);
    y.mul_(r);
    return bias == null ? y.mul_(rowScale) : torch.addcmul(bias, y, rowScale);
  }

  @Override
  public void close() {
    quantized.close();
    packed.close();
    colOffsets.close();
    rowScale.close();
    zeros.close();
    if (bias != null) {
      bias.close();
    }
  }
}
