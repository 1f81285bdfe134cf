package dev.vitrail.encoders.tensor;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.GenericList;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.NumberType;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.OptionalType;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.Type;
import org.bytedeco.pytorch.global.torch;

/**
 * libtorch's oneDNN linear with weights packed once, through the operators PyTorch's own CPU
 * fusions use ({@code mkldnn::_reorder_linear_weight}, {@code mkldnn::_linear_pointwise}); the Java
 * presets bind them only through the dispatcher, so they are called boxed. ({@code
 * Tensor.to_mkldnn} + {@code mkldnn_linear} would keep the weight in plain layout and reorder it on
 * every call.) Whether the bf16 path runs on this processor is found by trying it once: libtorch
 * refuses it without AVX-512 (BW/VL/DQ) or AVX-NE-CONVERT, and that refusal is the answer.
 */
public final class OneDnn {
  private static volatile Boolean bf16Linear;
  private static volatile OperatorHandle reorder;
  private static volatile OperatorHandle linear;

  private OneDnn() {}

  /** Whether oneDNN's packed linear accepts bf16 operands here (tried once per process). */
  public static boolean bf16Linear() {
    Boolean known = bf16Linear;
    if (known == null) {
      known = tryBf16Linear();
      bf16Linear = known;
    }
    return known;
  }

  /**
   * {@code weight [out, in]} packed into oneDNN's blocked layout for its dtype, in the caller's
   * scope.
   */
  public static Tensor pack(Tensor weight) {
    if (reorder == null) {
      reorder = BoxedOps.operator("mkldnn::_reorder_linear_weight");
    }
    return BoxedOps.call(reorder, new IValue(weight), new IValue());
  }

  /**
   * {@code x·Wᵀ + b} for dense {@code x [..., in]} and a {@link #pack packed} weight; {@code bias}
   * may be null. The result is dense, in the caller's scope.
   */
  public static Tensor linear(Tensor x, Tensor packed, Tensor bias) {
    return linear(x, packed, bias, "none", null);
  }

  /**
   * {@code attr(x·Wᵀ + b)}: as {@link #linear(Tensor, Tensor, Tensor)} with a unary post-op fused
   * into the inner product ({@code attr}: {@code "none"}, {@code "relu"}, {@code "gelu"}, {@code
   * "swish"}, ...; {@code algorithm}: {@code "none"} or {@code "tanh"} for gelu, else null).
   */
  public static Tensor linear(Tensor x, Tensor packed, Tensor bias, String attr, String algorithm) {
    if (linear == null) {
      linear = BoxedOps.operator("mkldnn::_linear_pointwise");
    }
    GenericList noScalars =
        new GenericList(OptionalType.get(new Type.TypePtr(NumberType.getNumberIntTypePtr().get())));
    return BoxedOps.call(
        linear,
        new IValue(x),
        new IValue(packed),
        bias == null ? new IValue() : new IValue(bias),
        new IValue(attr),
        new IValue(noScalars),
        algorithm == null ? new IValue() : new IValue(algorithm));
  }

  private static boolean tryBf16Linear() {
    NativeTorch.load();
    if (!torch.hasMKLDNN()) {
      return false;
    }
    try (PointerScope scope = new PointerScope()) {
      Tensor w = pack(torch.ones(8, 16).to(torch.ScalarType.BFloat16));
      linear(torch.ones(2, 16).to(torch.ScalarType.BFloat16), w, null);
      return true;
    } catch (RuntimeException refused) {
      return false;
    }
  }
}
