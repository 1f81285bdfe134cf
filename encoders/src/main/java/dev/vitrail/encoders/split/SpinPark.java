package dev.vitrail.encoders.split;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How the threads of a {@link ShardCrew} wait for a condition another of them makes true and then
 * unparks them: spin briefly (the other shard is usually microseconds away), then park.
 */
final class SpinPark {
  /** How long a shard spins at the barrier before parking. */
  private static final long SPIN_NANOS = 50_000;

  /**
   * The longest park between two looks at the condition. Every wait is ended by an unpark (the last
   * shard to arrive or finish, a failure, close), so this is only a safety net; a short one cost
   * CPU: the caller of {@link ShardCrew#run} waits the whole forward, and waking every millisecond
   * took it 2-5 % of a core (BENCHMARKS.md, issue 15 fifth session).
   */
  private static final long PARK_NANOS = 50_000_000;

  private SpinPark() {}

  /** Returns once {@code done} holds. */
  static void until(BooleanSupplier done) {
    long start = System.nanoTime();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - start < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(PARK_NANOS);
      }
    }
  }
}
