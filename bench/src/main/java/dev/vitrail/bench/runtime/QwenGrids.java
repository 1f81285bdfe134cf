package dev.vitrail.bench.runtime;

import dev.vitrail.encoders.info.SmartResize;
import java.util.Random;

/** Random Qwen2.5-VL patch counts for images from 224² to 1344² pixels (via smart_resize). */
final class QwenGrids {
  private QwenGrids() {}

  /**
   * {@code n} patch counts, sides drawn uniformly in [224, 1344] px with aspect ratios up to 2:1.
   */
  static long[] patches(Random rnd, int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      int h = 224 + rnd.nextInt(1344 - 224 + 1);
      int w = 224 + rnd.nextInt(1344 - 224 + 1);
      if (Math.max(h, w) > 2 * Math.min(h, w)) {
        w = h;
      }
      int[] hw = SmartResize.resize(h, w, 28, 56 * 56, 14L * 14 * 4 * 16384);
      out[i] = (long) (hw[0] / 14) * (hw[1] / 14);
    }
    return out;
  }
}
