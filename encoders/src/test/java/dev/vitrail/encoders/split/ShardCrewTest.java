package dev.vitrail.encoders.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.tensor.NativeTorch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The crew behind a split tower: its barrier, failures in one shard, and its threads' end. */
class ShardCrewTest {
  @Test
  void everyShardSeesEveryOtherShardsWritesAfterEachMeeting() {
    int shards = 3;
    int rounds = 200;
    AtomicIntegerArray written = new AtomicIntegerArray(shards);
    int[] plain = new int[shards]; // plain writes: the barrier must publish them
    try (ShardCrew crew = new ShardCrew(shards, "crew-test")) {
      for (int call = 0; call < 3; call++) {
        Integer result =
            crew.run(
                s -> {
                  for (int r = 1; r <= rounds; r++) {
                    plain[s] = r;
                    written.set(s, r);
                    crew.await(s);
                    for (int o = 0; o < shards; o++) {
                      if (plain[o] < r) {
                        throw new AssertionError("shard " + s + " saw a stale value of " + o);
                      }
                    }
                    crew.await(s); // nobody writes round r + 1 before all have read round r
                  }
                  return s * 10;
                });
        assertEquals(0, result, "shard 0's result");
      }
    }
    for (int s = 0; s < shards; s++) {
      assertEquals(rounds, written.get(s));
    }
  }

  @Test
  void shardsRunLibtorchOnOneThreadWhateverTheCallersWidth() {
    int before = NativeTorch.callerTorchThreads();
    NativeTorch.setCallerTorchThreads(2);
    try (ShardCrew crew = new ShardCrew(2, "crew-test")) {
      AtomicIntegerArray seen = new AtomicIntegerArray(2);
      crew.run(
          s -> {
            seen.set(s, NativeTorch.callerTorchThreads());
            return null;
          });
      assertEquals(1, seen.get(0), "shard 0's libtorch threads");
      assertEquals(1, seen.get(1), "shard 1's libtorch threads");
      assertEquals(2, NativeTorch.callerTorchThreads(), "the caller's own setting is kept");
    } finally {
      NativeTorch.setCallerTorchThreads(before);
    }
  }

  @Test
  void aFailingShardBreaksTheMeetingInsteadOfHangingTheOthers() {
    IllegalArgumentException cause = new IllegalArgumentException("shard 1 failed");
    try (ShardCrew crew = new ShardCrew(2, "crew-test")) {
      RuntimeException thrown =
          assertThrows(
              RuntimeException.class,
              () ->
                  assertTimeoutPreemptively(
                      () ->
                          crew.run(
                              s -> {
                                if (s == 1) {
                                  throw cause;
                                }
                                crew.await(s); // would wait forever for shard 1
                                return 0;
                              })));
      assertSame(cause, thrown, "the cause is rethrown, not the other shard's broken meeting");
      // the crew still works after a failed run
      assertEquals(Integer.valueOf(7), crew.<Integer>run(s -> 7));
    }
  }

  @Test
  void closingEndsTheThreads() {
    ShardCrew crew = new ShardCrew(2, "crew-close-test");
    crew.run(s -> null);
    assertEquals(2, threads("crew-close-test").size());
    crew.close();
    assertTrue(threads("crew-close-test").isEmpty(), "threads left after close");
    assertThrows(IllegalStateException.class, () -> crew.run(s -> null));
    assertFalse(threads("crew-close-test").stream().anyMatch(Thread::isAlive));
  }

  private static <T> T assertTimeoutPreemptively(
      org.junit.jupiter.api.function.ThrowingSupplier<T> run) {
    return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), run);
  }

  private static List<Thread> threads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix + "-"))
        .toList();
  }
}
