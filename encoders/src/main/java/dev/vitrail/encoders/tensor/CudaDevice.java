package dev.vitrail.encoders.tensor;

import java.util.Locale;

/**
 * One visible CUDA device as the CUDA runtime reports it.
 *
 * @param index the libtorch device index ({@code cuda:index})
 * @param name the device name, e.g. {@code "NVIDIA H100 80GB HBM3"} ({@code "unknown"} when the
 *     CUDA runtime could not be asked)
 * @param totalBytes device memory in bytes (0 when unknown)
 * @param capability compute capability as {@code major * 10 + minor} (e.g. 90), 0 when unknown
 */
public record CudaDevice(int index, String name, long totalBytes, int capability) {
  /** {@code cuda:N}. */
  public String device() {
    return "cuda:" + index;
  }

  /** Whether the device computes bf16 natively (Ampere, compute capability 8.0, or newer). */
  public boolean supportsBf16() {
    return capability >= 80;
  }

  /** {@code cuda:0 NVIDIA H100 80GB HBM3 (sm90, 79.1 GiB)}. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "%s %s (%s, %.1f GiB)",
        device(),
        name,
        capability > 0 ? "sm" + capability : "sm unknown",
        totalBytes / (double) (1L << 30));
  }
}
