package dev.vitrail.actors.random;

import java.util.Random;
import java.util.stream.LongStream;

/**
 * Seeds for randomized property tests: a fixed base so every run checks the same cases and a
 * failure names the seed that reproduces it.
 */
public final class Seeds {
  private static final long BASE = 0x5EED_F00DL;

  private Seeds() {}

  /** {@code count} seeds derived from the fixed base. */
  public static LongStream of(int count) {
    Random r = new Random(BASE);
    return LongStream.generate(r::nextLong).limit(count);
  }

  /**
   * {@code n} sizes in {@code [0, max]}; every fourth seed draws from a small pool so that ties
   * (which decide the tie-breaking order) are frequent.
   */
  public static long[] sizes(Random r, int n, long max) {
    boolean ties = r.nextInt(4) == 0;
    long[] pool = r.longs(3, 0, max + 1).toArray();
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = ties ? pool[r.nextInt(pool.length)] : (long) (r.nextDouble() * (max + 1));
    }
    return out;
  }
}
