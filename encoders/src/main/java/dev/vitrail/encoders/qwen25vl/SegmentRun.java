package dev.vitrail.encoders.qwen25vl;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code count} consecutive attention segments of equal {@code length} patches starting at row
 * {@code start}: they run as one batched attention call without any mask.
 */
record SegmentRun(int start, int count, int length) {

  /** Groups the segments of cumulative boundaries {@code cu} (starting at 0) into runs. */
  static List<SegmentRun> of(int[] cu) {
    List<SegmentRun> runs = new ArrayList<>();
    int i = 0;
    while (i + 1 < cu.length) {
      int length = cu[i + 1] - cu[i];
      int j = i + 1;
      while (j + 1 < cu.length && cu[j + 1] - cu[j] == length) {
        j++;
      }
      if (length > 0) {
        runs.add(new SegmentRun(cu[i], j - i, length));
      }
      i = j;
    }
    return runs;
  }
}
