package dev.vitrail.actors.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.actors.random.Seeds;
import dev.vitrail.encoders.sharding.LoadBalancer;
import dev.vitrail.encoders.sharding.ShardAssignment;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Seeded randomized properties of the vLLM balancer (each seed is one reproducible case). */
class LoadBalancerPropertiesTest {
  static LongStream seeds() {
    return Seeds.of(300);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void everyIndexExactlyOnceAndCountsAndLoadsAgree(long seed) {
    Random r = new Random(seed);
    long[] sizes = Seeds.sizes(r, r.nextInt(81), 20_000);
    int workers = 1 + r.nextInt(9);
    ShardAssignment a = LoadBalancer.assign(sizes, workers);
    int[] sorted = a.shuffleIndices().clone();
    Arrays.sort(sorted);
    int[] expected = new int[sizes.length];
    Arrays.setAll(expected, i -> i);
    assertArrayEquals(expected, sorted);
    assertEquals(sizes.length, Arrays.stream(a.sampleCounts()).sum());
    for (int w = 0; w < workers; w++) {
      long load = Arrays.stream(a.imagesOf(w)).mapToLong(i -> sizes[i]).sum();
      assertEquals(load, a.loads()[w]);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void makespanWithinLptBoundOfTheOptimum(long seed) {
    Random r = new Random(seed);
    long[] sizes = Seeds.sizes(r, 1 + r.nextInt(9), 20_000);
    int workers = 1 + r.nextInt(5);
    long makespan = Arrays.stream(LoadBalancer.assign(sizes, workers).loads()).max().orElseThrow();
    long optimum = BruteForce.optimum(sizes, workers);
    assertTrue(
        makespan <= (4.0 / 3 - 1.0 / (3 * workers)) * optimum + 1e-9,
        () -> "makespan " + makespan + " vs optimum " + optimum);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void makespanAtMostAverageLoadPlusBiggestItem(long seed) {
    Random r = new Random(seed);
    long[] sizes = Seeds.sizes(r, 1 + r.nextInt(200), 20_000);
    int workers = 1 + r.nextInt(16);
    long makespan = Arrays.stream(LoadBalancer.assign(sizes, workers).loads()).max().orElseThrow();
    long total = Arrays.stream(sizes).sum();
    long biggest = Arrays.stream(sizes).max().orElseThrow();
    assertTrue(makespan <= (double) total / workers + biggest + 1e-9);
    assertTrue(makespan >= Math.max(biggest, (double) total / workers) - 1e-9);
  }

  @Test
  void fewerThanOneWorkerIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LoadBalancer.assign(new long[] {3}, 0));
    assertTrue(e.getMessage().contains("at least one worker"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LoadBalancer.assign(new long[] {}, -1));
  }

  @Test
  void negativeSizeIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> LoadBalancer.assign(new long[] {1, -2}, 2));
  }
}
