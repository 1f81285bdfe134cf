package dev.vitrail.encoders.layers;

import dev.vitrail.encoders.tensor.LinearKernel;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * GFLOP/s each float32 linear kernel reached in {@link LinearKernelProbe}, and the kernel they
 * point to; pure.
 *
 * @param gflops the rate per kernel measured (at least one)
 */
public record KernelRates(Map<LinearKernel, Double> gflops) {
  /**
   * How much faster than {@code DENSE} another kernel must probe to be taken: {@code DENSE} needs
   * nothing prepared and, unsplit, shares the checkpoint's mapping, and the margin keeps probe
   * noise on a machine where the kernels are alike from flipping the choice.
   */
  public static final double MARGIN = 1.03;

  /** Copies {@code gflops} (kept in the enum's order). */
  public KernelRates {
    if (gflops.isEmpty()) {
      throw new IllegalArgumentException("no kernel was measured");
    }
    gflops = java.util.Collections.unmodifiableMap(new EnumMap<>(gflops));
  }

  /**
   * The kernel to take: the fastest, but {@code DENSE} (when measured) unless the fastest reached
   * {@link #MARGIN} times its rate.
   */
  public LinearKernel fastest() {
    LinearKernel best = null;
    for (LinearKernel k : LinearKernel.values()) {
      Double r = gflops.get(k);
      if (r != null && (best == null || r > gflops.get(best))) {
        best = k;
      }
    }
    Double dense = gflops.get(LinearKernel.DENSE);
    return dense != null && gflops.get(best) < MARGIN * dense ? LinearKernel.DENSE : best;
  }

  /** The rates as properties ({@code <kernel>.gflops}). */
  public Properties toProperties() {
    return toProperties(gflops.keySet());
  }

  /**
   * As {@link #toProperties()}, with a rate of 0 for each of {@code probed} that has none (it
   * failed in the probe), so that the cache still answers for it.
   */
  public Properties toProperties(Iterable<LinearKernel> probed) {
    Properties p = new Properties();
    for (LinearKernel k : probed) {
      p.setProperty(key(k), Double.toString(gflops.getOrDefault(k, 0.0)));
    }
    return p;
  }

  /**
   * The rates {@code p} holds for each of {@code kernels}, or null when one is missing or
   * unreadable (then the probe runs again); a rate of 0 (a kernel that failed in the probe) leaves
   * that kernel out.
   */
  public static KernelRates fromProperties(Properties p, Iterable<LinearKernel> kernels) {
    Map<LinearKernel, Double> m = new EnumMap<>(LinearKernel.class);
    try {
      for (LinearKernel k : kernels) {
        String v = p.getProperty(key(k));
        if (v == null) {
          return null;
        }
        double rate = Double.parseDouble(v);
        if (rate > 0) {
          m.put(k, rate);
        }
      }
      return m.isEmpty() ? null : new KernelRates(m);
    } catch (NumberFormatException unreadable) {
      return null;
    }
  }

  private static String key(LinearKernel k) {
    return k.name().toLowerCase(Locale.ROOT) + ".gflops";
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    gflops.forEach(
        (k, r) -> s.append(s.length() == 0 ? "" : ", ").append(String.format("%s %.1f", k, r)));
    return s + " GFLOP/s";
  }
}
