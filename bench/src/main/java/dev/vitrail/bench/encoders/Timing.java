package dev.vitrail.bench.encoders;

import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;

/**
 * Times two tensor workloads side by side: warm-up, then alternating runs (so that load from other
 * processes hits both alike), each run in its own scope; reports both medians.
 */
final class Timing {
  private Timing() {}

  /** Returns {@code {median ms of a, median ms of b}}. */
  static double[] alternatingMedians(int warmup, int runs, Runnable a, Runnable b) {
    for (int i = 0; i < warmup; i++) {
      time(a);
      time(b);
    }
    double[] ta = new double[runs];
    double[] tb = new double[runs];
    for (int i = 0; i < runs; i++) {
      if (i % 2 == 0) {
        ta[i] = time(a);
        tb[i] = time(b);
      } else {
        tb[i] = time(b);
        ta[i] = time(a);
      }
    }
    return new double[] {median(ta), median(tb)};
  }

  private static double time(Runnable body) {
    try (PointerScope s = new PointerScope()) {
      long t0 = System.nanoTime();
      body.run();
      return (System.nanoTime() - t0) / 1e6;
    }
  }

  private static double median(double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
