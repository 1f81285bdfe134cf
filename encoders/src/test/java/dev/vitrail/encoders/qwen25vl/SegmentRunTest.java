package dev.vitrail.encoders.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Equal-length neighbouring segments share one attention call; every row is covered once. */
class SegmentRunTest {
  @Test
  void groupsConsecutiveEqualLengths() {
    // windows of 16, 16, 8, then frames of 64, 64, then one of 16
    List<SegmentRun> runs = SegmentRun.of(new int[] {0, 16, 32, 40, 104, 168, 184});
    assertEquals(
        List.of(
            new SegmentRun(0, 2, 16),
            new SegmentRun(32, 1, 8),
            new SegmentRun(40, 2, 64),
            new SegmentRun(168, 1, 16)),
        runs);
  }

  @Test
  void skipsEmptySegments() {
    assertEquals(List.of(new SegmentRun(0, 1, 4)), SegmentRun.of(new int[] {0, 4, 4}));
  }
}
