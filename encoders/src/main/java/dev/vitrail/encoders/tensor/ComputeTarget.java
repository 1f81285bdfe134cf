package dev.vitrail.encoders.tensor;

import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.attention.AttentionBackend;
import dev.vitrail.encoders.attention.AttentionBackends;
import dev.vitrail.encoders.attention.PlatformFacts;
import java.util.List;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Where tensors of a tower live, in which floating dtype they are computed, and which attention
 * backend was asked for.
 *
 * @param device {@code "cpu"} or {@code "cuda:N"}
 * @param dtype the compute dtype (Float, BFloat16 or Half)
 * @param attentionOverride an explicit attention backend name, or null to choose (environment
 *     variable, then platform default)
 * @param linearKernel how linear layers multiply ({@link LinearKernel}); {@code INT8} keeps the
 *     activations in {@code dtype} (Float)
 */
public record ComputeTarget(
    String device, torch.ScalarType dtype, String attentionOverride, LinearKernel linearKernel) {
  public ComputeTarget {
    if (linearKernel == null) {
      linearKernel = LinearKernel.DENSE;
    }
    if (linearKernel != LinearKernel.DENSE && !device.equals("cpu")) {
      throw new IllegalArgumentException(
          linearKernel + " linear layers run on the CPU only, not on " + device);
    }
    if (linearKernel == LinearKernel.INT8 && dtype != torch.ScalarType.Float) {
      throw new IllegalArgumentException("int8 linear layers take float32 activations");
    }
  }

  /** A target whose linear layers use {@code torch.linear} in the compute dtype. */
  public ComputeTarget(String device, torch.ScalarType dtype, String attentionOverride) {
    this(device, dtype, attentionOverride, LinearKernel.DENSE);
  }

  /**
   * Environment variable overriding the CUDA compute capability (e.g. {@code 80} for A100, {@code
   * 90} for H100), which is otherwise queried from the device ({@link CudaInventory}).
   */
  public static final String CUDA_CAPABILITY_ENV = "VITRAIL_CUDA_CAPABILITY";

  /**
   * Capability assumed when the device could not be queried and {@link #CUDA_CAPABILITY_ENV} is not
   * set: 70, so FlashAttention is neither chosen by default nor accepted on request.
   */
  private static final int ASSUMED_CUDA_CAPABILITY = 70;

  /** A target with the attention backend chosen automatically. */
  public ComputeTarget(String device, torch.ScalarType dtype) {
    this(device, dtype, null);
  }

  /**
   * Environment variable naming the linear kernel of float32 and bf16 CPU towers when {@link
   * #selectLinearKernel} was not called: {@code auto}, {@code dense}, {@code onednn} (oneDNN with
   * pre-packed weights, which runs on libtorch's intra-op threads rather than the BLAS library's)
   * or {@code mlas} (float32 only: {@link MlasLinear}).
   */
  public static final String LINEAR_KERNEL_ENV = "VITRAIL_LINEAR_KERNEL";

  private static volatile String linearKernelSetting;

  /**
   * The {@code vitrail.workers.linear-kernel} setting ({@code auto}, {@code dense}, {@code onednn}
   * or {@code mlas}) for towers opened from now on; it takes the place of {@link
   * #LINEAR_KERNEL_ENV} (the runtime's settings read that variable themselves).
   */
  public static void selectLinearKernel(String setting) {
    if (!setting.trim().equalsIgnoreCase("auto")) {
      LinearKernel.named(setting, "vitrail.workers.linear-kernel");
    }
    linearKernelSetting = setting;
  }

  /**
   * The linear kernel asked for by {@link #selectLinearKernel} or else {@link #LINEAR_KERNEL_ENV};
   * null for none or {@code auto}.
   */
  public static LinearKernel linearKernelAskedFor() {
    String v = linearKernelSetting;
    String what = "vitrail.workers.linear-kernel";
    if (v == null) {
      v = System.getenv(LINEAR_KERNEL_ENV);
      what = LINEAR_KERNEL_ENV;
    }
    if (v == null || v.isBlank() || v.trim().equalsIgnoreCase("auto")) {
      return null;
    }
    return LinearKernel.named(v, what);
  }

  /**
   * Reads the device, compute dtype and attention backend of encoder options; compute dtype {@code
   * auto} is f32 on CPU and bf16 on CUDA devices that support it ({@link #autoDtype}). On the CPU,
   * {@code bf16} takes oneDNN's pre-packed linear layers where this processor runs them ({@link
   * OneDnn#bf16Linear()}), {@code int8} means float32 activations with int8 linear weights, {@code
   * f32} takes oneDNN's packed linear where threads are configured as libtorch N / BLAS 1 ({@link
   * NativeTorch#intraOpPoolWide()}), and {@link #linearKernelAskedFor()} may override the choice
   * for f32 and bf16.
   */
  public static ComputeTarget of(EncoderOptions options) {
    return ComputeTargetChoice.of(options);
  }

  /**
   * The {@code auto} compute dtype: bf16 on CUDA compute capability 8.0 or newer (native bf16
   * tensor cores; norms and softmax still accumulate in f32 inside libtorch's kernels, as in HF),
   * f32 on CPU ({@code capability == 0}) and on older GPUs.
   */
  public static torch.ScalarType autoDtype(int capability) {
    return capability >= 80 ? torch.ScalarType.BFloat16 : torch.ScalarType.Float;
  }

  /**
   * The attention backend for heads of {@code headDim}: override, then environment, then platform.
   */
  public AttentionBackend attention(int headDim) {
    String dtypeName =
        switch (dtype) {
          case BFloat16 -> "bf16";
          case Half -> "f16";
          default -> "f32";
        };
    PlatformFacts facts =
        isCpu()
            ? PlatformFacts.cpu(dtypeName, headDim)
            : new PlatformFacts(true, cudaCapability(cudaIndex()), dtypeName, headDim);
    return AttentionBackends.fromSystemEnv().choose(attentionOverride, facts);
  }

  /** N of {@code cuda:N}; the target must be CUDA. */
  public int cudaIndex() {
    return Integer.parseInt(device.substring("cuda:".length()));
  }

  /**
   * The compute capability of CUDA device {@code index}: {@link #CUDA_CAPABILITY_ENV} when set (an
   * override), else queried from the device, else 70 (assumed).
   */
  public static int cudaCapability(int index) {
    String v = System.getenv(CUDA_CAPABILITY_ENV);
    if (v == null || v.isBlank()) {
      int queried = CudaInventory.probe().device(index).map(CudaDevice::capability).orElse(0);
      return queried > 0 ? queried : ASSUMED_CUDA_CAPABILITY;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          CUDA_CAPABILITY_ENV + " must be an integer such as 80 or 90, got '" + v + "'", e);
    }
  }

  /** CPU, float32. */
  public static ComputeTarget cpuFloat() {
    return new ComputeTarget("cpu", torch.ScalarType.Float);
  }

  /** Whether tensors stay on the CPU. */
  public boolean isCpu() {
    return device.equals("cpu");
  }

  /**
   * {@code t} in the compute dtype on the target device, in the caller's scope; {@code t} itself (a
   * new handle to the same storage) when it already is.
   */
  public Tensor place(Tensor t) {
    if (isCpu()) {
      return t.to(dtype);
    }
    return t.to(new Device(device), dtype);
  }

  /**
   * A batch built from {@code parts} (row-major float32 values, in order) of {@code shape}, in the
   * compute dtype on the target device, in the caller's scope. On CUDA the values go through the
   * worker thread's pinned buffer and one asynchronous copy on the worker's stream ({@link
   * CudaSupport#upload}); on CPU they are written into a new tensor.
   */
  public Tensor upload(List<float[]> parts, long... shape) {
    if (!isCpu()) {
      return CudaSupport.require().upload(parts, shape, device, dtype);
    }
    Tensor host = torch.empty(shape);
    long at = 0;
    for (float[] part : parts) {
      HostTensors.write(host, at, part);
      at += part.length;
    }
    return host.to(dtype);
  }

  /** Tensor options for new tensors on this target, in the caller's scope. */
  public TensorOptions options() {
    return new TensorOptions()
        .dtype(new ScalarTypeOptional(dtype))
        .device(new DeviceOptional(new Device(device)));
  }
}
