package dev.vitrail.encoders.layers;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.T_TensorTensorDoubleLong_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A linear layer's weights as int8 with one scale per output channel, multiplied by FBGEMM with the
 * activations quantized per call (dynamic quantization, activations as uint8 per tensor).
 *
 * <p>libtorch's FBGEMM entry points take one weight scale for the whole matrix, so each row is
 * first divided by its largest magnitude {@code s[o]}: every row then spans [-1, 1] and the one
 * scale quantizes every row on its full range, as per-channel quantization does. The product is
 * multiplied back by {@code s} per column; the bias is passed in as {@code b / s} so that one
 * in-place multiplication restores both: {@code (x·Ŵᵀ + b/s)·s = x·Wᵀ + b}.
 */
final class Int8Weights implements AutoCloseable {
  private final Tensor quantized; // int8 [out, in] (FBGEMM reads its shape)
  private final Tensor packed; // FBGEMM's packed copy of it
  private final Tensor colOffsets;
  private final double scale;
  private final long zeroPoint;
  private final Tensor rowScale; // [out]
  private final Tensor scaledBias; // [out]: b / s, zeros without a bias

  private Int8Weights(
      Tensor quantized,
      Tensor packed,
      Tensor colOffsets,
      double scale,
      long zeroPoint,
      Tensor rowScale,
      Tensor scaledBias) {
    this.quantized = quantized;
    this.packed = packed;
    this.colOffsets = colOffsets;
    this.scale = scale;
    this.zeroPoint = zeroPoint;
    this.rowScale = rowScale;
    this.scaledBias = scaledBias;
  }

  /** Quantizes {@code weight [out, in]} (any float dtype) and {@code bias [out]} (or null). */
  static Int8Weights quantize(Tensor weight, Tensor bias) {
    try (PointerScope scope = new PointerScope()) {
      Tensor w = weight.to(torch.ScalarType.Float).contiguous();
      Tensor s = w.abs().amax(new long[] {1}, true).clamp_min(new Scalar(1e-12)); // [out, 1]
      T_TensorTensorDoubleLong_T q = torch.fbgemm_linear_quantize_weight(w.div(s));
      Tensor quantized = q.get0();
      Tensor packed = torch.fbgemm_pack_quantized_matrix(quantized);
      Tensor rowScale = s.flatten();
      Tensor scaledBias =
          bias == null
              ? torch.zeros(w.size(0))
              : bias.to(torch.ScalarType.Float).div(rowScale).contiguous();
      Tensor colOffsets = q.get1();
      for (Tensor t : new Tensor[] {quantized, packed, colOffsets, rowScale, scaledBias}) {
        t.retainReference();
      }
      return new Int8Weights(
          quantized, packed, colOffsets, q.get2(), q.get3(), rowScale, scaledBias);
    }
  }

  /** {@code x·Wᵀ + b} for float32 {@code x [..., in]}; the result lives in the caller's scope. */
  Tensor forward(Tensor x) {
    Tensor y =
        torch.fbgemm_linear_int8_weight_fp32_activation(
            x, quantized, packed, colOffsets, new Scalar(scale), new Scalar(zeroPoint), scaledBias);
    return y.mul_(rowScale);
  }

  @Override
  public void close() {
    quantized.close();
    packed.close();
    colOffsets.close();
    rowScale.close();
    scaledBias.close();
  }
}
