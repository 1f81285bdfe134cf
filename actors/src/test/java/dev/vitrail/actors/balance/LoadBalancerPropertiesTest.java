package dev.vitrail.actors.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LoadBalancerPropertiesTest {
  @Property
  void everyIndexExactlyOnceAndCountsAndLoadsAgree(
      @ForAll @Size(max = 80) List<@LongRange(min = 0, max = 20_000) Long> sizeList,
      @ForAll @IntRange(min = 1, max = 9) int workers) {
    long[] sizes = toArray(sizeList);
    Assignment a = LoadBalancer.assign(sizes, workers);
    int[] sorted = a.shuffleIndices().clone();
    Arrays.sort(sorted);
    int[] expected = new int[sizes.length];
    Arrays.setAll(expected, i -> i);
    assertArrayEquals(expected, sorted);
    assertEquals(sizes.length, Arrays.stream(a.counts()).sum());
    for (int w = 0; w < workers; w++) {
      long load = Arrays.stream(a.itemsOf(w)).mapToLong(i -> sizes[i]).sum();
      assertEquals(load, a.loads()[w]);
    }
  }

  @Property
  void makespanWithinLptBoundOfTheOptimum(
      @ForAll @Size(min = 1, max = 9) List<@LongRange(min = 0, max = 20_000) Long> sizeList,
      @ForAll @IntRange(min = 1, max = 5) int workers) {
    long[] sizes = toArray(sizeList);
    long makespan = Arrays.stream(LoadBalancer.assign(sizes, workers).loads()).max().orElseThrow();
    long optimum = BruteForce.optimum(sizes, workers);
    assertTrue(makespan <= (4.0 / 3 - 1.0 / (3 * workers)) * optimum + 1e-9,
        () -> "makespan " + makespan + " vs optimum " + optimum);
  }

  @Property
  void makespanAtMostAverageLoadPlusBiggestItem(
      @ForAll @Size(min = 1, max = 200) List<@LongRange(min = 0, max = 20_000) Long> sizeList,
      @ForAll @IntRange(min = 1, max = 16) int workers) {
    long[] sizes = toArray(sizeList);
    long makespan = Arrays.stream(LoadBalancer.assign(sizes, workers).loads()).max().orElseThrow();
    long total = Arrays.stream(sizes).sum();
    long biggest = Arrays.stream(sizes).max().orElseThrow();
    assertTrue(makespan <= (double) total / workers + biggest + 1e-9);
    assertTrue(makespan >= Math.max(biggest, (double) total / workers) - 1e-9);
  }

  private static long[] toArray(List<Long> list) {
    return list.stream().mapToLong(Long::longValue).toArray();
  }

  @Test
  void fewerThanOneWorkerIsRejected() {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> LoadBalancer.assign(new long[] {3}, 0));
    assertTrue(e.getMessage().contains("at least one worker"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LoadBalancer.assign(new long[] {}, -1));
  }

  @Test
  void negativeSizeIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> LoadBalancer.assign(new long[] {1, -2}, 2));
  }
}
