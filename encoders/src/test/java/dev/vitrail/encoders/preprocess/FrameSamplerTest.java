package dev.vitrail.encoders.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FrameSamplerTest {
  private static long[] timestamps(int n, double fps) {
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      t[i] = Math.round(i * 1e6 / fps);
    }
    return t;
  }

  @Test
  void everyNthKeepsMultiples() {
    assertArrayEquals(new int[] {0, 3, 6, 9}, FrameSampler.everyNth(3).select(timestamps(11, 30)));
    assertArrayEquals(new int[] {0, 1, 2}, FrameSampler.all().select(timestamps(3, 30)));
  }

  @Test
  void targetFpsOnA30FpsStream() {
    assertArrayEquals(new int[] {0, 15, 30, 45}, FrameSampler.atFps(2).select(timestamps(60, 30)));
    // 29.97 fps to 10 fps: one frame in three, never two in one 100 ms slot
    assertArrayEquals(new int[] {0, 3, 6, 9}, FrameSampler.atFps(10).select(timestamps(12, 29.97)));
  }

  @Test
  void slowerStreamsKeepEveryFrameAndGapsDoNotBurst() {
    assertArrayEquals(new int[] {0, 1, 2, 3}, FrameSampler.atFps(30).select(timestamps(4, 5)));
    long[] gap = {0, 100_000, 5_000_000, 5_010_000, 5_600_000};
    assertArrayEquals(new int[] {0, 2, 4}, FrameSampler.atFps(2).select(gap));
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> FrameSampler.everyNth(0));
    assertThrows(IllegalArgumentException.class, () -> FrameSampler.atFps(0));
    assertThrows(IllegalArgumentException.class, () -> FrameSampler.atFps(Double.NaN));
  }
}
