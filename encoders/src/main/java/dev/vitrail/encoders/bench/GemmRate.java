package dev.vitrail.encoders.bench;

import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** The machine's float32 GEMM rate as libtorch reaches it in this JVM with the current thread settings. */
final class GemmRate {
  private GemmRate() {}

  /** GFLOP/s of an {@code n × n × n} float32 matmul (median of 5 after one warm-up). */
  static double measure(int n) {
    try (PointerScope scope = new PointerScope()) {
      Tensor a = torch.randn(n, n);
      Tensor b = torch.randn(n, n);
      a.matmul(b).close();
      double[] s = new double[5];
      for (int i = 0; i < s.length; i++) {
        long t0 = System.nanoTime();
        a.matmul(b).close();
        s[i] = (System.nanoTime() - t0) / 1e9;
      }
      Arrays.sort(s);
      return 2.0 * n * n * n / s[s.length / 2] / 1e9;
    }
  }
}
