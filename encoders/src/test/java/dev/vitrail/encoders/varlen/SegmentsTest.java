package dev.vitrail.encoders.varlen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Equal-length neighbouring segments share one attention call; every row is covered once. */
class SegmentsTest {
  @Test
  void groupsConsecutiveEqualLengths() {
    // windows of 16, 16, 8, then frames of 64, 64, then one of 16
    Segments s = Segments.ofBoundaries(new int[] {0, 16, 32, 40, 104, 168, 184});
    assertEquals(
        List.of(
            new Segments.Run(0, 2, 16),
            new Segments.Run(32, 1, 8),
            new Segments.Run(40, 2, 64),
            new Segments.Run(168, 1, 16)),
        s.runs());
    assertEquals(184, s.rows());
  }

  @Test
  void skipsEmptySegments() {
    assertEquals(
        List.of(new Segments.Run(0, 1, 4)), Segments.ofBoundaries(new int[] {0, 4, 4}).runs());
    assertEquals(
        List.of(new Segments.Run(0, 1, 4), new Segments.Run(4, 1, 4)),
        Segments.ofLengths(new long[] {4, 0, 4}).runs());
  }

  @Test
  void boundariesStartAtZero() {
    assertThrows(IllegalArgumentException.class, () -> Segments.ofBoundaries(new int[] {4, 8}));
  }
}
