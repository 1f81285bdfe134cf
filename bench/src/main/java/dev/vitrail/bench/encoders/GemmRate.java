package dev.vitrail.bench.encoders;

import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The machine's float32 GEMM rate as libtorch reaches it in this JVM with the current thread
 * settings.
 */
final class GemmRate implements AutoCloseable {
  private final Tensor a;
  private final Tensor b;
  private final int n;

  /** Prepares two random {@code n × n} operands (owned until {@link #close()}). */
  GemmRate(int n) {
    this.n = n;
    try (PointerScope scope = new PointerScope()) {
      a = torch.randn(n, n);
      b = torch.randn(n, n);
      a.retainReference();
      b.retainReference();
      a.matmul(b).close();
    }
  }

  /** GFLOP/s of one product, timed now (to interleave with the tower's timings). */
  double once() {
    try (PointerScope scope = new PointerScope()) {
      long t0 = System.nanoTime();
      a.matmul(b);
      return 2.0 * n * n * n / ((System.nanoTime() - t0) / 1e9) / 1e9;
    }
  }

  @Override
  public void close() {
    a.close();
    b.close();
  }

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
