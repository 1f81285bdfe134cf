package dev.vitrail.encoders.api;

import java.util.List;

/**
 * Where and how a tower runs.
 *
 * @param device {@code "cpu"} or {@code "cuda:N"}
 * @param computeDtype {@code "f32"} (default on CPU), {@code "bf16"}, {@code "f16"} or {@code
 *     "int8"} (CPU: int8 linear weights, float32 activations) or {@code "auto"} (f32 on CPU, bf16
 *     on CUDA devices of compute capability 8.0 or newer)
 * @param attentionBackend an explicit attention backend name, or null to choose automatically
 */
public record EncoderOptions(String device, String computeDtype, String attentionBackend) {
  private static final List<String> DTYPES = List.of("f32", "bf16", "f16", "int8", "auto");

  public EncoderOptions {
    if (device == null || !(device.equals("cpu") || device.matches("cuda:\\d+"))) {
      throw new IllegalArgumentException("device must be 'cpu' or 'cuda:N', got " + device);
    }
    if (!DTYPES.contains(computeDtype)) {
      throw new IllegalArgumentException(
          "compute dtype must be one of " + DTYPES + ", got " + computeDtype);
    }
  }

  /** CPU, float32, automatic attention backend. */
  public static EncoderOptions cpu() {
    return new EncoderOptions("cpu", "f32", null);
  }
}
