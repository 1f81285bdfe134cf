package dev.vitrail.encoders.tensor;

import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.attention.AttentionBackend;
import dev.vitrail.encoders.attention.AttentionBackends;
import dev.vitrail.encoders.attention.PlatformFacts;
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
 */
public record ComputeTarget(String device, torch.ScalarType dtype, String attentionOverride) {
  /**
   * Environment variable giving the CUDA compute capability (e.g. {@code 80} for A100, {@code 90}
   * for H100): libtorch's Java API has no capability query.
   */
  public static final String CUDA_CAPABILITY_ENV = "VITRAIL_CUDA_CAPABILITY";

  /**
   * Capability assumed when {@link #CUDA_CAPABILITY_ENV} is not set: 70, so FlashAttention is
   * neither chosen by default nor accepted on request unless the capability is given.
   */
  private static final int ASSUMED_CUDA_CAPABILITY = 70;

  /** A target with the attention backend chosen automatically. */
  public ComputeTarget(String device, torch.ScalarType dtype) {
    this(device, dtype, null);
  }

  /** Reads the device, compute dtype and attention backend of encoder options. */
  public static ComputeTarget of(EncoderOptions options) {
    torch.ScalarType dtype =
        switch (options.computeDtype()) {
          case "bf16" -> torch.ScalarType.BFloat16;
          case "f16" -> torch.ScalarType.Half;
          default -> torch.ScalarType.Float;
        };
    return new ComputeTarget(options.device(), dtype, options.attentionBackend());
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
            : new PlatformFacts(true, cudaCapability(), dtypeName, headDim);
    return AttentionBackends.fromSystemEnv().choose(attentionOverride, facts);
  }

  private static int cudaCapability() {
    String v = System.getenv(CUDA_CAPABILITY_ENV);
    if (v == null || v.isBlank()) {
      return ASSUMED_CUDA_CAPABILITY;
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

  /** Tensor options for new tensors on this target, in the caller's scope. */
  public TensorOptions options() {
    return new TensorOptions()
        .dtype(new ScalarTypeOptional(dtype))
        .device(new DeviceOptional(new Device(device)));
  }
}
