package dev.vitrail.encoders.varlen;

import java.util.ArrayList;
import java.util.List;

/**
 * Attention segments of a packed sequence grouped into runs of equal length: each run is one
 * batched attention call, so no mask over the whole sequence is ever built.
 *
 * @param runs the runs in row order
 * @param rows total rows covered
 */
public record Segments(List<Run> runs, long rows) {

  /**
   * {@code count} consecutive segments of {@code length} rows starting at {@code start}.
   *
   * @param start first row
   * @param count segments in the run
   * @param length rows per segment
   */
  public record Run(long start, int count, long length) {}

  public Segments {
    runs = List.copyOf(runs);
  }

  /**
   * Segments between cumulative boundaries {@code cu} ({@code cu[0] = 0}, non-decreasing), as HF's
   * {@code cu_seqlens} / {@code cu_window_seqlens}.
   */
  public static Segments ofBoundaries(int[] cu) {
    if (cu.length == 0 || cu[0] != 0) {
      throw new IllegalArgumentException("cumulative boundaries must start at 0");
    }
    long[] lengths = new long[cu.length - 1];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = (long) cu[i + 1] - cu[i];
    }
    return ofLengths(lengths);
  }

  /** Segments of the given lengths, laid out one after the other from row 0. */
  public static Segments ofLengths(long[] lengths) {
    List<Run> runs = new ArrayList<>();
    long at = 0;
    int i = 0;
    while (i < lengths.length) {
      int j = i + 1;
      while (j < lengths.length && lengths[j] == lengths[i]) {
        j++;
      }
      if (lengths[i] > 0) {
        runs.add(new Run(at, j - i, lengths[i]));
      } else if (lengths[i] < 0) {
        throw new IllegalArgumentException("negative segment length " + lengths[i]);
      }
      at += lengths[i] * (j - i);
      i = j;
    }
    return new Segments(runs, at);
  }
}
