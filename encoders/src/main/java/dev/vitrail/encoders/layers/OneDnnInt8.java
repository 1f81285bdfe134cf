package dev.vitrail.encoders.layers;

import dev.vitrail.encoders.tensor.BoxedOps;
import dev.vitrail.encoders.tensor.NativeTorch;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.GenericList;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.NumberType;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.OptionalType;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.Type;
import org.bytedeco.pytorch.global.torch;

/**
 * libtorch's oneDNN int8 linear ({@code onednn::qlinear_prepack}, {@code
 * onednn::qlinear_pointwise}, the operators of PyTorch's x86 int8 inference), called boxed through
 * the dispatcher as the Java presets do not bind them: uint8 activations with one scale and zero
 * point, int8 weights with a scale per output channel, float32 out. Whether it runs on this
 * processor is found once by trying it; where it does not, {@link Int8Weights} multiplies through
 * FBGEMM instead.
 */
final class OneDnnInt8 {
  private static volatile Boolean available;
  private static volatile OperatorHandle prepack;
  private static volatile OperatorHandle linear;

  private OneDnnInt8() {}

  /** Whether libtorch's oneDNN int8 linear runs here (tried once per process). */
  static boolean available() {
    Boolean known = available;
    if (known == null) {
      known = tryIt();
      available = known;
    }
    return known;
  }

  /** {@code quantized} int8 {@code [out, in]} packed for {@link #linear}, in the caller's scope. */
  static Tensor pack(Tensor quantized) {
    if (prepack == null) {
      prepack = BoxedOps.operator("onednn::qlinear_prepack");
    }
    return BoxedOps.call(prepack, new IValue(quantized), new IValue());
  }

  /**
   * {@code (xq - zeroPoint)·xScale · (Wq·wScale)ᵀ} as float32 {@code [rows, out]}, for uint8 {@code
   * xq [rows, in]} and a {@link #pack packed} weight with {@code wScale [out]} (float32) and {@code
   * wZero [out]} (int64 zeros); no bias. The result lives in the caller's scope.
   */
  static Tensor linear(
      Tensor xq, double xScale, long zeroPoint, Tensor packed, Tensor wScale, Tensor wZero) {
    if (linear == null) {
      linear = BoxedOps.operator("onednn::qlinear_pointwise");
    }
    GenericList noScalars =
        new GenericList(OptionalType.get(new Type.TypePtr(NumberType.getNumberIntTypePtr().get())));
    return BoxedOps.call(
        linear,
        new IValue(xq),
        new IValue(xScale),
        new IValue(zeroPoint),
        new IValue(packed),
        new IValue(wScale),
        new IValue(wZero),
        new IValue(), // bias: added after the per-token scale, outside
        new IValue(1.0),
        new IValue(0L),
        new IValue(torch.ScalarType.Float),
        new IValue("none"),
        new IValue(noScalars),
        new IValue(""));
  }

  /** Per-channel weight zero points: {@code out} int64 zeros, in the caller's scope. */
  static Tensor zeroPoints(long out) {
    return torch.zeros(new long[] {out}, new TensorOptions(torch.ScalarType.Long));
  }

  /** One 4x32·32x8 product checked against its exact integer result. */
  private static boolean tryIt() {
    NativeTorch.load();
    if (!torch.hasMKLDNN()) {
      return false;
    }
    try (PointerScope scope = new PointerScope()) {
      Tensor w = torch.arange(new Scalar(256)).remainder(new Scalar(7)).sub(new Scalar(3));
      Tensor x = torch.arange(new Scalar(128)).remainder(new Scalar(5)).view(4, 32);
      Tensor y =
          linear(
              x.add(new Scalar(2)).to(torch.ScalarType.Byte),
              1.0,
              2,
              pack(w.view(8, 32).to(torch.ScalarType.Char)),
              torch.ones(8),
              zeroPoints(8));
      Tensor exact =
          x.to(torch.ScalarType.Float).matmul(w.view(8, 32).to(torch.ScalarType.Float).t());
      return torch.equal(y, exact);
    } catch (RuntimeException refused) {
      return false;
    }
  }
}
