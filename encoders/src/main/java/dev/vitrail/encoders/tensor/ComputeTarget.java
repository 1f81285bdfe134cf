package dev.vitrail.encoders.tensor;

import dev.vitrail.encoders.api.EncoderOptions;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Where tensors of a tower live and in which floating dtype they are computed.
 *
 * @param device {@code "cpu"} or {@code "cuda:N"}
 * @param dtype the compute dtype (Float, BFloat16 or Half)
 */
public record ComputeTarget(String device, torch.ScalarType dtype) {
  /** Reads the device and compute dtype of encoder options. */
  public static ComputeTarget of(EncoderOptions options) {
    torch.ScalarType dtype = switch (options.computeDtype()) {
      case "bf16" -> torch.ScalarType.BFloat16;
      case "f16" -> torch.ScalarType.Half;
      default -> torch.ScalarType.Float;
    };
    return new ComputeTarget(options.device(), dtype);
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
   * {@code t} in the compute dtype on the target device, in the caller's scope; {@code t} itself
   * (a new handle to the same storage) when it already is.
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
