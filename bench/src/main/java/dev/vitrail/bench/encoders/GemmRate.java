package dev.vitrail.bench.encoders;

import dev.vitrail.encoders.layers.Linear;
import dev.vitrail.encoders.tensor.ComputeTarget;
import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The machine's GEMM rate as libtorch reaches it in this JVM with the current thread settings: the
 * float32 {@code n × n × n} matmul (BLAS), and the same product through a linear layer of the
 * tower's own mode (its dtype and {@link dev.vitrail.encoders.tensor.LinearKernel}: BLAS, oneDNN
 * packed, int8), so that a tower's FLOP rate can be set against the GEMM it actually runs.
 */
final class GemmRate implements AutoCloseable {
  private final Tensor a;
  private final Tensor b;
  private final Tensor x; // a in the mode's dtype
  private final Linear mode; // weight b in the mode's dtype and kernel
  private final int n;

  /** Prepares random {@code n × n} operands (owned until {@link #close()}). */
  GemmRate(int n, ComputeTarget target) {
    this.n = n;
    try (PointerScope scope = new PointerScope()) {
      a = torch.randn(n, n);
      b = torch.randn(n, n);
      x = a.to(target.dtype());
      Tensor w = b.to(target.dtype()).clone();
      w.retainReference();
      mode = Linear.create(w, null, target.linearKernel());
      a.retainReference();
      b.retainReference();
      x.retainReference();
      a.matmul(b);
      mode.forward(x);
    }
  }

  /** GFLOP/s of one float32 matmul, timed now (to interleave with the tower's timings). */
  double once() {
    try (PointerScope scope = new PointerScope()) {
      long t0 = System.nanoTime();
      a.matmul(b);
      return 2.0 * n * n * n / ((System.nanoTime() - t0) / 1e9) / 1e9;
    }
  }

  /** GFLOP/s of one product through the mode's linear layer, timed now. */
  double onceInMode() {
    try (PointerScope scope = new PointerScope()) {
      long t0 = System.nanoTime();
      mode.forward(x);
      return 2.0 * n * n * n / ((System.nanoTime() - t0) / 1e9) / 1e9;
    }
  }

  @Override
  public void close() {
    a.close();
    b.close();
    x.close();
    mode.close();
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
