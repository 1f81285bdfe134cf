package dev.vitrail.encoders.layers;

import dev.vitrail.encoders.tensor.LinearKernel;
import dev.vitrail.encoders.tensor.MlasLinear;
import dev.vitrail.encoders.tensor.OneDnn;
import dev.vitrail.encoders.weights.WeightMap;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * {@code y = x·Wᵀ + b} with {@code W [out, in]} and an optional bias; owns its tensors. The weight
 * is prepared once for the {@link LinearKernel} it is created with: kept as is ({@code DENSE}),
 * packed once into oneDNN's blocked layout ({@code ONEDNN}, see {@link OneDnn}), packed once by
 * ONNX Runtime's MLAS ({@code MLAS}, see {@link MlasLinear}) or quantized to int8 per output
 * channel ({@code INT8}).
 */
public final class Linear implements AutoCloseable {
  private final LinearKernel kernel;
  private final Tensor weight; // DENSE: [out, in]; ONEDNN: oneDNN-packed; INT8, MLAS: null
  private final Tensor bias; // may be null (INT8, MLAS: inside the kernel's weights)
  private final Int8Weights int8; // INT8 only
  private final MlasLinear mlas; // MLAS only

  /** Takes ownership of {@code weight [out, in]} and {@code bias [out]} (or null); dense. */
  public Linear(Tensor weight, Tensor bias) {
    this(LinearKernel.DENSE, weight, bias, null, null);
  }

  private Linear(
      LinearKernel kernel, Tensor weight, Tensor bias, Int8Weights int8, MlasLinear mlas) {
    this.kernel = kernel;
    this.weight = weight;
    this.bias = bias;
    this.int8 = int8;
    this.mlas = mlas;
  }

  /**
   * A layer for {@code kernel}, taking ownership of {@code weight [out, in]} and {@code bias} (or
   * null): they are kept for {@code DENSE}, and freed once converted for the other kernels.
   */
  public static Linear create(Tensor weight, Tensor bias, LinearKernel kernel) {
    if (kernel == LinearKernel.DENSE) {
      return new Linear(weight, bias);
    }
    if (kernel == LinearKernel.INT8 || kernel == LinearKernel.MLAS) {
      try {
        return kernel == LinearKernel.INT8
            ? new Linear(kernel, null, null, Int8Weights.quantize(weight, bias), null)
            : new Linear(kernel, null, null, null, MlasLinear.create(weight, bias));
      } finally {
        weight.close();
        if (bias != null) {
          bias.close();
        }
      }
    }
    try (PointerScope scope = new PointerScope()) {
      Tensor packed = OneDnn.pack(weight);
      packed.retainReference();
      return new Linear(kernel, packed, bias, null, null);
    } catch (RuntimeException e) {
      if (bias != null) {
        bias.close();
      }
      throw e;
    } finally {
      weight.close();
    }
  }

  /**
   * Loads {@code name.weight} (and {@code name.bias} when {@code withBias}), prepared for the
   * target's linear kernel.
   */
  public static Linear load(WeightMap w, String name, long in, long out, boolean withBias) {
    return load(w, name, in, out, withBias, 1.0, 1.0);
  }

  /**
   * As {@link #load(WeightMap, String, long, long, boolean)} with the weight multiplied by {@code
   * weightScale} and the bias by {@code biasScale} first (a copy; 1.0 leaves a tensor as loaded).
   */
  static Linear load(
      WeightMap w,
      String name,
      long in,
      long out,
      boolean withBias,
      double weightScale,
      double biasScale) {
    Tensor weight = scaled(w.take(name + ".weight", out, in), weightScale);
    Tensor bias;
    try {
      bias = withBias ? scaled(w.take(name + ".bias", out), biasScale) : null;
    } catch (RuntimeException e) {
      weight.close();
      throw e;
    }
    return create(weight, bias, w.target().linearKernel());
  }

  /** {@code t · scale} as a new tensor (closing {@code t}), or {@code t} itself for 1.0. */
  private static Tensor scaled(Tensor t, double scale) {
    if (scale == 1.0) {
      return t;
    }
    try (PointerScope scope = new PointerScope()) {
      Tensor s = t.mul(new Scalar(scale));
      s.retainReference();
      return s;
    } finally {
      t.close();
    }
  }

  /** The kernel this layer multiplies with. */
  public LinearKernel kernel() {
    return kernel;
  }

  /** Applies the layer to the last axis of {@code x}; the result lives in the caller's scope. */
  public Tensor forward(Tensor x) {
    return switch (kernel) {
      case DENSE ->
          bias == null
              ? torch.linear(x, weight)
              : torch.linear(x, weight, new TensorOptional(bias));
      case ONEDNN -> OneDnn.linear(x, weight, bias);
      case INT8 -> int8.forward(x);
      case MLAS -> mlas.forward(x);
    };
  }

  /**
   * {@code alpha·x·Wᵀ + beta·b} in one BLAS call (the scales ride in the GEMM, no extra pass over
   * the output); {@link LinearKernel#DENSE} layers only.
   */
  public Tensor forwardScaled(Tensor x, double alpha, double beta) {
    if (kernel != LinearKernel.DENSE) {
      throw new IllegalStateException("forwardScaled needs a DENSE layer, this one is " + kernel);
    }
    long[] shape = x.shape();
    Tensor x2 = x.reshape(-1, shape[shape.length - 1]);
    Scalar a = new Scalar(alpha);
    Tensor y =
        bias == null
            ? torch.mm(x2, weight.t()).mul_(a)
            : torch.addmm(bias, x2, weight.t(), new Scalar(beta), a);
    shape[shape.length - 1] = y.size(1);
    return y.view(shape);
  }

  /**
   * {@code act(x·Wᵀ + b)} with the activation fused into oneDNN's inner product as a post-op
   * ({@code attr} and {@code algorithm} as {@code mkldnn::_linear_pointwise} names them, e.g.
   * {@code "gelu"} / {@code "tanh"}); {@link LinearKernel#ONEDNN} layers only.
   */
  public Tensor forwardFused(Tensor x, String attr, String algorithm) {
    if (kernel != LinearKernel.ONEDNN) {
      throw new IllegalStateException("forwardFused needs an ONEDNN layer, this one is " + kernel);
    }
    return OneDnn.linear(x, weight, bias, attr, algorithm);
  }

  @Override
  public void close() {
    if (weight != null) {
      weight.close();
    }
    if (bias != null) {
      bias.close();
    }
    if (int8 != null) {
      int8.close();
    }
    if (mlas != null) {
      mlas.close();
    }
  }
}
