package dev.vitrail.encoders.tensor;

import dev.vitrail.encoders.api.EncoderOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * How {@link ComputeTarget#of} reads encoder options: the compute dtype ({@code auto} resolved by
 * {@link ComputeTarget#autoDtype}) and, on the CPU, the linear kernel that dtype runs best with
 * here, which {@link ComputeTarget#linearKernelAskedFor()} may override.
 */
final class ComputeTargetChoice {
  private ComputeTargetChoice() {}

  /** See {@link ComputeTarget#of}. */
  static ComputeTarget of(EncoderOptions options) {
    String device = options.device();
    String attention = options.attentionBackend();
    boolean cpu = device.equals("cpu");
    String dtype = options.computeDtype();
    if (dtype.equals("auto")) {
      dtype =
          ComputeTarget.autoDtype(
                      cpu ? 0 : ComputeTarget.cudaCapability(Integer.parseInt(device.substring(5))))
                  == torch.ScalarType.BFloat16
              ? "bf16"
              : "f32";
    }
    return switch (dtype) {
      case "bf16" ->
          new ComputeTarget(
              device,
              torch.ScalarType.BFloat16,
              attention,
              cpu
                  ? linearOverride(
                      OneDnn.bf16Linear() ? LinearKernel.ONEDNN : LinearKernel.DENSE, false)
                  : LinearKernel.DENSE);
      case "f16" -> new ComputeTarget(device, torch.ScalarType.Half, attention);
      case "int8" ->
          new ComputeTarget(device, torch.ScalarType.Float, attention, LinearKernel.INT8);
      default ->
          new ComputeTarget(
              device,
              torch.ScalarType.Float,
              attention,
              cpu ? linearOverride(f32CpuKernel(), true) : LinearKernel.DENSE);
    };
  }

  /**
   * The float32 CPU kernel: BLAS ({@code DENSE}) unless the process runs libtorch's intra-op pool
   * wide with BLAS at one thread ({@code --threads N --blas-threads 1}), where BLAS GEMMs would use
   * one core: then oneDNN's packed linear, which runs on that pool (two Zen 3 cores, batch 1: 2.64
   * images/s against 2.43 for OpenBLAS on two BLAS threads; BENCHMARKS.md, issue 15).
   */
  private static LinearKernel f32CpuKernel() {
    return NativeTorch.intraOpPoolWide() && torch.hasMKLDNN()
        ? LinearKernel.ONEDNN
        : LinearKernel.DENSE;
  }

  private static LinearKernel linearOverride(LinearKernel otherwise, boolean f32) {
    LinearKernel k = ComputeTarget.linearKernelAskedFor();
    if (k == null) {
      return otherwise;
    }
    if (k == LinearKernel.MLAS && !f32) {
      throw new IllegalArgumentException(
          "the linear kernel mlas is float32 only; compute-dtype is bf16");
    }
    return k;
  }
}
