package dev.vitrail.encoders.tensor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;

/**
 * For tests that need a CUDA device: skipped (a JUnit assumption, with the reason in the report) on
 * machines without one, such as every CPU build. {@code bench/gpu-check.sh} runs them on a GPU.
 */
public final class GpuTests {
  private GpuTests() {}

  /** The first CUDA device; skips the calling test when there is none, saying why. */
  public static CudaDevice requireGpu() {
    CudaInventory cuda = CudaInventory.probe();
    assumeTrue(!cuda.devices().isEmpty(), () -> "GPU-only test skipped: " + cuda.note());
    return cuda.devices().get(0);
  }

  /** Max-abs difference and cosine similarity of two equally long arrays. */
  public static double[] compare(float[] want, float[] got) {
    if (want.length != got.length) {
      throw new AssertionError("length " + got.length + ", expected " + want.length);
    }
    double maxAbs = 0;
    double dot = 0;
    double nw = 0;
    double ng = 0;
    for (int i = 0; i < want.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(want[i] - got[i]));
      dot += (double) want[i] * got[i];
      nw += (double) want[i] * want[i];
      ng += (double) got[i] * got[i];
    }
    return new double[] {maxAbs, dot / Math.sqrt(nw * ng)};
  }

  /** One parity line on standard output, collected by {@code bench/gpu-check.sh}. */
  public static void report(String model, String dtype, String tensor, double[] diff) {
    System.out.println(
        String.format(
            Locale.ROOT,
            "GPU-PARITY model=%s dtype=%s tensor=%s max_abs=%.3e cosine=%.7f",
            model,
            dtype,
            tensor,
            diff[0],
            diff[1]));
  }
}
